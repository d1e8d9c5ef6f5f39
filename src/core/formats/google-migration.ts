import { base64 } from '@scure/base';
import { decodeBase32, encodeBase32 } from '../encoding.js';
import { labelParts, type Entry } from '../entry/model.js';
import { buildEntry } from './entry-builder.js';
import { concatBytes } from './format-crypto.js';
import { itemLabel, type ImportItem } from './import-item.js';

const PREFIX = /^otpauth-migration:\/\/offline\?(?:.*&)?data=([^&#]*)/i;
const ALGORITHMS = ['SHA1', 'SHA1', 'SHA256', 'SHA512', 'MD5'] as const;

/** The batch a transfer QR code belongs to: Google Authenticator splits big exports over several codes. */
export interface MigrationBatch {
  readonly id: number;
  readonly index: number;
  readonly size: number;
}

export interface MigrationPayload {
  readonly items: readonly ImportItem[];
  readonly batch: MigrationBatch | null;
}

/**
 * Reads a Google Authenticator transfer URI, `otpauth-migration://offline?data=BASE64`, whose data
 * is a protobuf `MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
 * int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5 }`. Returns `null` when the URI
 * or its payload is damaged; entries with MD5 come back as problems.
 *
 * @param position where the URI was found (`line 3`), for the labels of its entries
 */
export function parseMigrationUri(uri: string, position: string): MigrationPayload | null {
  const match = PREFIX.exec(uri.trim());
  if (match === null) return null;
  let fields: Field[];
  try {
    const text = decodeURIComponent(match[1] ?? '')
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .replace(/\s/g, '');
    fields = readMessage(base64.decode(text.padEnd(Math.ceil(text.length / 4) * 4, '=')));
  } catch {
    return null;
  }
  const items: ImportItem[] = [];
  let size = 1;
  let index = 0;
  let id = 0;
  for (const field of fields) {
    if (field.number === 1 && field.bytes !== undefined)
      items.push(otpItem(field.bytes, `${position} #${String(items.length + 1)}`));
    if (field.number === 3 && field.value !== undefined) size = field.value;
    if (field.number === 4 && field.value !== undefined) index = field.value;
    if (field.number === 5 && field.value !== undefined) id = field.value;
  }
  return { items, batch: size > 1 ? { id, index, size } : null };
}

/** `OtpParameters { bytes secret = 1; string name = 2; string issuer = 3; Algorithm algorithm = 4; DigitCount digits = 5; OtpType type = 6; int64 counter = 7 }` */
function otpItem(bytes: Uint8Array, position: string): ImportItem {
  let fields: Field[];
  try {
    fields = readMessage(bytes);
  } catch {
    return { ok: false, label: position, problem: 'damaged entry in the transfer data' };
  }
  const decoder = new TextDecoder();
  const get = (number: number): Field | undefined => fields.find((field) => field.number === number);
  const secret = get(1)?.bytes;
  const name = decoder.decode(get(2)?.bytes ?? new Uint8Array());
  const issuer = decoder.decode(get(3)?.bytes ?? new Uint8Array());
  const label = itemLabel(position, name || issuer);
  const algorithm = ALGORITHMS[get(4)?.value ?? 0];
  if (algorithm === undefined)
    return { ok: false, label, problem: `unknown algorithm number ${String(get(4)?.value)}` };
  if (algorithm === 'MD5') {
    return { ok: false, label, problem: 'MD5 codes are not supported (open2fa supports SHA1, SHA256 and SHA512)' };
  }
  const digits = get(5)?.value ?? 0;
  if (digits > 2) return { ok: false, label, problem: `unknown digit count number ${String(digits)}` };
  const type = get(6)?.value ?? 2;
  if (type > 2) return { ok: false, label, problem: `unknown OTP type number ${String(type)}` };
  // The name is often "Issuer:account" itself; the issuer is not repeated.
  const account = issuer !== '' && name.startsWith(`${issuer}:`) ? name.slice(issuer.length + 1) : name;
  const built = buildEntry({
    secret: secret === undefined || secret.length === 0 ? undefined : encodeBase32(secret),
    issuer,
    account,
    type: type === 1 ? 'hotp' : 'totp',
    algorithm,
    digits: digits === 2 ? 8 : 6,
    counter: get(7)?.value,
  });
  return built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem };
}

interface Field {
  readonly number: number;
  /** Varint fields. */
  readonly value?: number;
  /** Length-delimited fields. */
  readonly bytes?: Uint8Array;
}

/** The fields of one protobuf message; fixed-width fields are skipped, anything malformed throws. */
function readMessage(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  const varint = (): number => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new RangeError('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        const value = BigInt.asUintN(64, result);
        if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('varint too large');
        return Number(value);
      }
    }
    throw new RangeError('varint too long');
  };
  while (offset < bytes.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    switch (key % 8) {
      case 0:
        fields.push({ number, value: varint() });
        break;
      case 1:
        offset += 8;
        break;
      case 2: {
        const length = varint();
        if (offset + length > bytes.length) throw new RangeError('truncated field');
        fields.push({ number, bytes: bytes.subarray(offset, offset + length) });
        offset += length;
        break;
      }
      case 5:
        offset += 4;
        break;
      default:
        throw new RangeError(`unsupported wire type ${String(key % 8)}`);
    }
  }
  if (offset > bytes.length) throw new RangeError('truncated field');
  return fields;
}

/** Google Authenticator reads at most this many accounts from one transfer QR code. */
export const MIGRATION_BATCH_SIZE = 10;
const ALGORITHM_NUMBERS = { SHA1: 1, SHA256: 2, SHA512: 3 } as const;

/** The transfer URIs of some entries, and the entries Google Authenticator cannot hold. */
export interface MigrationExport {
  readonly uris: readonly string[];
  readonly refused: readonly { readonly entry: Entry; readonly reason: string }[];
}

/**
 * Google Authenticator transfer URIs (`otpauth-migration://offline?data=…`) for the entries, up to
 * ten per URI (one QR code each), numbered as one batch. The format has no period, no Steam type
 * and only 6 or 8 digits: entries needing those are refused, with the reason, and left out.
 *
 * @param batchId the batch's number, the same in every URI (random by default)
 */
export function serializeMigrationUris(
  entries: readonly Entry[],
  batchId: number = globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 0,
): MigrationExport {
  const refused: { entry: Entry; reason: string }[] = [];
  const accepted = entries.filter((entry) => {
    const reason = unfit(entry);
    if (reason !== null) refused.push({ entry, reason });
    return reason === null;
  });
  const batches: Entry[][] = [];
  for (let start = 0; start < accepted.length; start += MIGRATION_BATCH_SIZE) {
    batches.push(accepted.slice(start, start + MIGRATION_BATCH_SIZE));
  }
  const id = batchId & 0x7fffffff;
  const uris = batches.map((batch, index) => {
    const message = concatBytes(
      ...batch.map((entry) => bytesField(1, otpParameters(entry))),
      varintField(2, 1),
      varintField(3, batches.length),
      varintField(4, index),
      varintField(5, id),
    );
    return `otpauth-migration://offline?data=${encodeURIComponent(base64.encode(message))}`;
  });
  return { uris, refused };
}

function unfit(entry: Entry): string | null {
  if (entry.type === 'steam') return 'Google Authenticator has no Steam codes';
  if (entry.digits !== 6 && entry.digits !== 8) return 'Google Authenticator shows 6 or 8 digits only';
  if (entry.type === 'totp' && entry.period !== 30)
    return 'Google Authenticator transfers have no period other than 30 s';
  return null;
}

function otpParameters(entry: Entry): Uint8Array {
  const { issuer, account } = labelParts(entry);
  const text = new TextEncoder();
  return concatBytes(
    bytesField(1, decodeBase32(entry.secret)),
    bytesField(2, text.encode(account || issuer)),
    ...(issuer === '' ? [] : [bytesField(3, text.encode(issuer))]),
    varintField(4, ALGORITHM_NUMBERS[entry.algorithm]),
    varintField(5, entry.digits === 8 ? 2 : 1),
    varintField(6, entry.type === 'hotp' ? 1 : 2),
    ...(entry.type === 'hotp' ? [varintField(7, entry.counter)] : []),
  );
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

function varintField(number: number, value: number): Uint8Array {
  return new Uint8Array([...varint(number * 8), ...varint(value)]);
}

function bytesField(number: number, bytes: Uint8Array): Uint8Array {
  return concatBytes(new Uint8Array([...varint(number * 8 + 2), ...varint(bytes.length)]), bytes);
}
