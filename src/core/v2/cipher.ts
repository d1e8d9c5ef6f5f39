import { entryRecord, makeEntry, OTP_TYPES, type Entry, type OtpType } from '../entry/model.js';
import { Open2faError } from '../errors.js';
import { isRecord } from '../is-record.js';
import { bytesToUtf8, decodeBase64Url, encodeBase64Url, utf8ToBytes } from '../encoding.js';
import { OTP_ALGORITHMS, type OtpAlgorithm } from '../otp/parameters.js';

export const ENVELOPE_PREFIX = 'o2fa2.';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Plaintexts are padded to a multiple of this, so sizes reveal a bucket, not a name's length. */
export const PADDING_BLOCK = 64;
/** Revision 2 payloads carry the item's revision (and tombstones exist); revision 1 payloads do not. */
const PAYLOAD_VERSION = 2;
const LEGACY_PAYLOAD_VERSION = 1;

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

/**
 * The entry's content as canonical JSON, in a fixed key order and without a revision: what the sync
 * fingerprints hash (it is byte for byte the revision 1 payload, so fingerprints kept by earlier
 * versions stay valid).
 */
export function entryContent(entry: Entry): string {
  return JSON.stringify({ v: LEGACY_PAYLOAD_VERSION, ...entryRecord(entry) });
}

/** The revision 2 payload of an entry written as revision `rev` of its item. */
export function entryPayload(entry: Entry, rev: number): string {
  return JSON.stringify({ v: PAYLOAD_VERSION, rev: checkedRevision(rev), ...entryRecord(entry) });
}

/** What an envelope holds once opened: an entry (with the revision it was sealed for) or a deletion. */
export type SealedPayload =
  /** `rev` is `null` for a revision 1 payload, which does not say its revision. */
  | { readonly kind: 'entry'; readonly entry: Entry; readonly rev: number | null }
  | { readonly kind: 'tombstone'; readonly rev: number };

/**
 * Encrypts an entry into an envelope (docs/protocol.md §2): AES-256-GCM with a fresh random 96-bit
 * nonce (or the given one, for test vectors), AAD binding the user and item, the payload naming the
 * revision `rev` the write creates (the base revision + 1), so a server cannot serve it as another.
 */
export function sealEnvelope(
  key: CryptoKey,
  binding: EnvelopeBinding,
  entry: Entry,
  rev: number,
  nonce?: Uint8Array<ArrayBuffer>,
): Promise<string> {
  return sealPayload(key, binding, entryPayload(entry, rev), nonce);
}

/**
 * The sealed tombstone a deleting client sends (docs/protocol.md §3, revision 2): proof, under the
 * envelope key that only the account's devices hold, that one of them deleted revision `rev` − 1.
 */
export function sealTombstone(
  key: CryptoKey,
  binding: EnvelopeBinding,
  rev: number,
  nonce?: Uint8Array<ArrayBuffer>,
): Promise<string> {
  return sealPayload(
    key,
    binding,
    JSON.stringify({ v: PAYLOAD_VERSION, rev: checkedRevision(rev), deleted: true }),
    nonce,
  );
}

function checkedRevision(rev: number): number {
  if (!Number.isSafeInteger(rev) || rev < 1)
    throw new RangeError(`a revision is a whole number from 1, got ${String(rev)}`);
  return rev;
}

/** Pads and encrypts a JSON payload (exported for the vector generator's revision 1 envelopes). */
export async function sealPayload(
  key: CryptoKey,
  binding: EnvelopeBinding,
  payload: string,
  nonce: Uint8Array<ArrayBuffer> = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES)),
): Promise<string> {
  if (nonce.length !== NONCE_BYTES) throw new TypeError(`a nonce has ${String(NONCE_BYTES)} bytes`);
  const sealed = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: additionalData(binding), tagLength: TAG_BYTES * 8 },
    key,
    pad(utf8ToBytes(payload)),
  );
  const out = new Uint8Array(NONCE_BYTES + sealed.byteLength);
  out.set(nonce);
  out.set(new Uint8Array(sealed), NONCE_BYTES);
  return ENVELOPE_PREFIX + encodeBase64Url(out);
}

/**
 * Decrypts and checks an entry's envelope (either payload revision); see `openPayload`. A tombstone is
 * not an entry: `integrity_failed`.
 */
export async function openEnvelope(key: CryptoKey, binding: EnvelopeBinding, envelope: string): Promise<Entry> {
  const payload = await openPayload(key, binding, envelope);
  if (payload.kind !== 'entry') {
    throw new Open2faError('integrity_failed', `item ${binding.itemId} holds a deletion, not an entry`);
  }
  return payload.entry;
}

/**
 * Decrypts and checks an envelope. Throws `Open2faError('invalid_envelope')` for text that is not an
 * envelope and `Open2faError('integrity_failed')` when authentication fails (wrong key, wrong user or
 * item, any changed bit) or the payload is neither an entry nor a tombstone.
 */
export async function openPayload(key: CryptoKey, binding: EnvelopeBinding, envelope: string): Promise<SealedPayload> {
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
  const sealed = text === null ? null : parsePayload(text);
  if (sealed === null) {
    throw new Open2faError('integrity_failed', `item ${binding.itemId} holds no valid entry`);
  }
  return sealed;
}

function parsePayload(text: string): SealedPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  if (value.v === LEGACY_PAYLOAD_VERSION) {
    const entry = parseEntry(value);
    return entry === null ? null : { kind: 'entry', entry, rev: null };
  }
  if (value.v !== PAYLOAD_VERSION || !isRevision(value.rev)) return null;
  if (value.deleted === true) return { kind: 'tombstone', rev: value.rev };
  const entry = parseEntry(value);
  return entry === null ? null : { kind: 'entry', entry, rev: value.rev };
}

function isRevision(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function parseEntry(record: Record<string, unknown>): Entry | null {
  if (typeof record.secret !== 'string') return null;
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
    ...(isTextList(record.groups) ? { groups: record.groups } : {}),
    ...(record.favorite === true ? { favorite: true } : {}),
  });
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

export { randomItemId } from './item-id.js';
