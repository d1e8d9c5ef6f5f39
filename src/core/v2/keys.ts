import { encodeBase64Url, utf8ToBytes } from '../encoding.js';
import { V1_KEY_LENGTH } from '../v1/keys.js';

/** The keys a v2 client derives from the Open2FA Secret. */
export interface V2Keys {
  /** AES-256-GCM key of every envelope (non-extractable). */
  readonly envelopeKey: CryptoKey;
  /** Bearer token for the v2 API (base64url of 32 bytes). The server keeps only its SHA-256. */
  readonly authToken: string;
}

const SALT = utf8ToBytes('open2fa/v2');
const ENVELOPE_INFO = utf8ToBytes('open2fa/v2 envelope key');
const AUTH_INFO = utf8ToBytes('open2fa/v2 auth token');

async function hkdf(secret: Uint8Array<ArrayBuffer>, info: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const base = await globalThis.crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: SALT, info },
    base,
    256,
  );
  return new Uint8Array(bits);
}

/**
 * The raw HKDF outputs, for test vectors only; clients use `deriveV2Keys`.
 *
 * @see RFC 5869
 */
export async function deriveV2KeyBytes(
  secretKey: Uint8Array<ArrayBuffer>,
): Promise<{ envelopeKey: Uint8Array<ArrayBuffer>; authToken: Uint8Array<ArrayBuffer> }> {
  if (secretKey.length !== V1_KEY_LENGTH) {
    throw new TypeError(`the Open2FA Secret has ${String(V1_KEY_LENGTH)} bytes, got ${String(secretKey.length)}`);
  }
  const [envelopeKey, authToken] = await Promise.all([hkdf(secretKey, ENVELOPE_INFO), hkdf(secretKey, AUTH_INFO)]);
  return { envelopeKey, authToken };
}

/**
 * Derives the v2 envelope key and auth token from the 16-byte Open2FA Secret with HKDF-SHA256 under
 * distinct labels (docs/protocol.md §1).
 */
export async function deriveV2Keys(secretKey: Uint8Array<ArrayBuffer>): Promise<V2Keys> {
  const bytes = await deriveV2KeyBytes(secretKey);
  const envelopeKey = await globalThis.crypto.subtle.importKey('raw', bytes.envelopeKey, 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  return { envelopeKey, authToken: encodeBase64Url(bytes.authToken) };
}
