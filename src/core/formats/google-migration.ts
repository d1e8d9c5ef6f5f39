import { base64 } from '@scure/base';
import { encodeBase32 } from '../encoding.js';
import { buildEntry } from './entry-builder.js';
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
