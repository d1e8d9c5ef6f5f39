import { entryRecord, makeEntry, OTP_TYPES, type Entry, type OtpType } from './entry-model.js';
import { Open2faError } from './errors.js';
import { bytesToUtf8, decodeBase64Url, encodeBase64Url, utf8ToBytes } from './encoding.js';
import { OTP_ALGORITHMS, type OtpAlgorithm } from './otp-parameters.js';

export const ENVELOPE_PREFIX = 'o2fa2.';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Plaintexts are padded to a multiple of this, so sizes reveal a bucket, not a name's length. */
export const PADDING_BLOCK = 64;
const PAYLOAD_VERSION = 1;

/** Where an envelope belongs: it decrypts only for this user and this item. */
export interface EnvelopeBinding {
  readonly userId: string;
  readonly itemId: string;
}

function additionalData(binding: EnvelopeBinding): Uint8Array<ArrayBuffer> {
  return utf8ToBytes(`open2fa/v2 item|${binding.userId}|${binding.itemId}`);
}

/** ISO/IEC 7816-4 padding: 0x80, then zeros up to a multiple of `PADDING_BLOCK`. */
export function pad(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const length = (Math.floor(bytes.length / PADDING_BLOCK) + 1) * PADDING_BLOCK;
  const padded = new Uint8Array(length);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  return padded;
}

export function unpad(padded: Uint8Array): Uint8Array | null {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80 || padded.length % PADDING_BLOCK !== 0) return null;
  return padded.subarray(0, end);
}

/** The entry as the envelope's JSON payload, in a fixed key order. */
export function entryPayload(entry: Entry): string {
  return JSON.stringify({ v: PAYLOAD_VERSION, ...entryRecord(entry) });
}

/**
 * Encrypts an entry into an envelope (docs/protocol.md §2): AES-256-GCM with a fresh random 96-bit
 * nonce (or the given one, for test vectors), AAD binding the user and item.
 */
export async function sealEnvelope(
  key: CryptoKey,
  binding: EnvelopeBinding,
  entry: Entry,
  nonce: Uint8Array<ArrayBuffer> = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES)),
): Promise<string> {
  if (nonce.length !== NONCE_BYTES) throw new TypeError(`a nonce has ${String(NONCE_BYTES)} bytes`);
  const sealed = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: additionalData(binding), tagLength: TAG_BYTES * 8 },
    key,
    pad(utf8ToBytes(entryPayload(entry))),
  );
  const out = new Uint8Array(NONCE_BYTES + sealed.byteLength);
  out.set(nonce);
  out.set(new Uint8Array(sealed), NONCE_BYTES);
  return ENVELOPE_PREFIX + encodeBase64Url(out);
}

/**
 * Decrypts and checks an envelope. Throws `Open2faError('invalid_envelope')` for text that is not an
 * envelope and `Open2faError('integrity_failed')` when authentication fails (wrong key, wrong user or
 * item, any changed bit) or the payload is not an entry.
 */
export async function openEnvelope(key: CryptoKey, binding: EnvelopeBinding, envelope: string): Promise<Entry> {
  if (!envelope.startsWith(ENVELOPE_PREFIX)) {
    throw new Open2faError('invalid_envelope', `an envelope starts with "${ENVELOPE_PREFIX}"`);
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = decodeBase64Url(envelope.slice(ENVELOPE_PREFIX.length));
  } catch (error) {
    throw new Open2faError('invalid_envelope', 'the envelope is not base64url', { cause: error });
  }
  if (bytes.length < NONCE_BYTES + TAG_BYTES + PADDING_BLOCK) {
    throw new Open2faError('invalid_envelope', 'the envelope is too short');
  }
  let plaintext: ArrayBuffer;
  try {
    plaintext = await globalThis.crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: bytes.subarray(0, NONCE_BYTES),
        additionalData: additionalData(binding),
        tagLength: TAG_BYTES * 8,
      },
      key,
      bytes.subarray(NONCE_BYTES),
    );
  } catch (error) {
    throw new Open2faError('integrity_failed', `item ${binding.itemId} failed its integrity check`, { cause: error });
  }
  const payload = unpad(new Uint8Array(plaintext));
  const text = payload === null ? null : bytesToUtf8(payload);
  const entry = text === null ? null : parsePayload(text);
  if (entry === null) {
    throw new Open2faError('integrity_failed', `item ${binding.itemId} holds no valid entry`);
  }
  return entry;
}

function parsePayload(text: string): Entry | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (record.v !== PAYLOAD_VERSION || typeof record.secret !== 'string') return null;
  const name = record.name;
  if (name !== null && typeof name !== 'string') return null;
  const type = OTP_TYPES.find((candidate) => candidate === record.type);
  const algorithm = OTP_ALGORITHMS.find((candidate) => candidate === record.algorithm);
  if (type === undefined || algorithm === undefined) return null;
  const numbers = [record.digits, record.period, record.counter];
  if (!numbers.every((number) => typeof number === 'number' && Number.isSafeInteger(number))) return null;
  return makeEntry(record.secret, name, {
    type: type satisfies OtpType,
    algorithm: algorithm satisfies OtpAlgorithm,
    digits: record.digits as number,
    period: record.period as number,
    counter: record.counter as number,
    ...optionalString('issuer', record.issuer),
    ...optionalString('account', record.account),
    ...optionalString('note', record.note),
  });
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

/** A random item id: 16 bytes, base64url (22 characters). */
export function randomItemId(): string {
  return encodeBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}
