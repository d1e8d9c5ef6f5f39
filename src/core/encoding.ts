import { base32nopad, base58, base64urlnopad, hex } from '@scure/base';
import { Open2faError } from './errors.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of a string. */
export function utf8ToBytes(text: string): Uint8Array<ArrayBuffer> {
  return utf8Encoder.encode(text);
}

/**
 * Strict UTF-8 decoding: invalid sequences throw instead of becoming U+FFFD, so a wrong key that
 * happens to produce valid padding is still caught.
 */
export function bytesToUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Base58 with the Bitcoin alphabet. Leading zero bytes become leading `1`s and back, which the
 * open2fa v1 vectors exercise (an ID or key starting with a zero byte).
 *
 * @example encodeBase58(new Uint8Array([0, 1])) // '12'
 */
export function encodeBase58(bytes: Uint8Array): string {
  return base58.encode(bytes);
}

/** Decodes Bitcoin-alphabet base58; throws `Open2faError('invalid_base58')` on any other character. */
export function decodeBase58(text: string): Uint8Array<ArrayBuffer> {
  if (text.length === 0) {
    throw new Open2faError('invalid_base58', 'base58 text is empty');
  }
  try {
    return toOwnedBytes(base58.decode(text));
  } catch (error) {
    throw new Open2faError('invalid_base58', `not base58: ${describeError(error)}`, { cause: error });
  }
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Remainders of (characters mod 8) that can end a base32 string (RFC 4648 §6). */
const BASE32_VALID_TAILS = new Set([0, 2, 4, 5, 7]);

/**
 * Normalises a human-typed base32 secret: case-insensitive, spaces, hyphens and `=` padding optional.
 * Returns the canonical form (upper case, no padding) or `null` when it is not base32.
 */
export function normalizeBase32(text: string): string | null {
  const compact = text
    .replace(/[\s-]+/g, '')
    .toUpperCase()
    .replace(/=+$/, '');
  if (compact.length === 0 || !BASE32_VALID_TAILS.has(compact.length % 8)) return null;
  for (const char of compact) {
    if (!BASE32_ALPHABET.includes(char)) return null;
  }
  return compact;
}

/**
 * Decodes a base32 secret leniently, as authenticator apps and the Python client do: case and spacing
 * do not matter, padding is optional, and unused trailing bits are ignored (RFC 4648 §3.5 lets
 * decoders accept them; rejecting would lock people out of secrets other apps accept).
 *
 * @see RFC 4648 §6
 * @example decodeBase32('jbsw y3dp') // Uint8Array [0x48, 0x65, 0x6c, 0x6c, 0x6f]
 */
export function decodeBase32(text: string): Uint8Array<ArrayBuffer> {
  const canonical = normalizeBase32(text);
  if (canonical === null) {
    throw new Open2faError(
      'invalid_base32',
      'not base32: use the letters A-Z and digits 2-7 (spaces and padding are optional)',
    );
  }
  const unusedBits = (canonical.length * 5) % 8;
  let masked = canonical;
  if (unusedBits > 0) {
    const last = BASE32_ALPHABET.indexOf(canonical.charAt(canonical.length - 1));
    const cleared = last & ~((1 << unusedBits) - 1);
    masked = canonical.slice(0, -1) + BASE32_ALPHABET.charAt(cleared);
  }
  return toOwnedBytes(base32nopad.decode(masked));
}

/** Canonical base32 (upper case, no padding) as authenticators display it. */
export function encodeBase32(bytes: Uint8Array): string {
  return base32nopad.encode(bytes);
}

export function encodeBase64Url(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}

export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> {
  return toOwnedBytes(base64urlnopad.decode(text));
}

export function encodeHex(bytes: Uint8Array): string {
  return hex.encode(bytes);
}

export function decodeHex(text: string): Uint8Array<ArrayBuffer> {
  return toOwnedBytes(hex.decode(text));
}

/** Copies into a fresh ArrayBuffer-backed array, the type WebCrypto accepts. */
export function toOwnedBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const owned = new Uint8Array(bytes.length);
  owned.set(bytes);
  return owned;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
