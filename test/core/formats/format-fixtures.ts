import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

// Fixtures written from the formats' public descriptions, independently of the serialisers under
// test: Aegis docs/vault.md, 2FAS schema 4 backups, andOTP's plain JSON backup, Bitwarden's JSON
// export, Google Authenticator's MigrationPayload protobuf.

export const SECRET_A = 'JBSWY3DPEHPK3PXP';
export const SECRET_B = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
export const SECRET_C = 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ';
export const SECRET_D = 'I65VU7K5ZQL7WB4E';

/** An Aegis plain vault (`header.slots` null, `db` an object) with the given entries. */
export function aegisVault(entries: readonly object[]): string {
  return JSON.stringify({ version: 1, header: { slots: null, params: null }, db: { version: 3, entries, groups: [] } });
}

export function aegisEntry(
  type: string,
  issuer: string,
  name: string,
  info: Record<string, unknown>,
  note = '',
): Record<string, unknown> {
  return {
    type,
    uuid: '01234567-89ab-cdef-0123-456789abcdef',
    name,
    issuer,
    note,
    favorite: false,
    icon: null,
    info,
  };
}

/** An unencrypted 2FAS backup (schema 4). */
export function twoFasBackup(services: readonly object[]): string {
  return JSON.stringify({
    services,
    groups: [],
    updatedAt: 1713397547000,
    schemaVersion: 4,
    appVersionCode: 5000000,
    appVersionName: '5.0.0',
    appOrigin: 'android',
  });
}

export function twoFasService(name: string, secret: string, otp: Record<string, unknown>): Record<string, unknown> {
  return { name, secret, updatedAt: 1713397547000, otp: { source: 'Manual', ...otp }, order: { position: 0 } };
}

/** An andOTP plain JSON backup: a list of entries. */
export function andOtpBackup(entries: readonly object[]): string {
  return JSON.stringify(entries);
}

export function andOtpEntry(fields: Record<string, unknown>): Record<string, unknown> {
  return { thumbnail: 'Default', last_used: 0, used_frequency: 0, tags: [], ...fields };
}

/** A Bitwarden unencrypted JSON export; items are logins (type 1) with the given `totp` fields. */
export function bitwardenExport(items: readonly { name: string; username?: string; totp?: string | null }[]): string {
  return JSON.stringify({
    encrypted: false,
    folders: [],
    items: items.map((item, index) => ({
      id: `00000000-0000-0000-0000-00000000000${String(index)}`,
      organizationId: null,
      folderId: null,
      type: 1,
      reprompt: 0,
      name: item.name,
      notes: null,
      favorite: false,
      login: { uris: [], username: item.username ?? null, password: 'hunter2', totp: item.totp ?? null },
      collectionIds: null,
    })),
  });
}

/** One `OtpParameters` of a Google Authenticator transfer, as plain values. */
export interface MigrationOtp {
  readonly secret: Uint8Array;
  readonly name: string;
  readonly issuer?: string;
  /** 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5 */
  readonly algorithm?: number;
  /** 1 six, 2 eight */
  readonly digits?: number;
  /** 1 HOTP, 2 TOTP */
  readonly type?: number;
  readonly counter?: number;
}

/** `otpauth-migration://offline?data=…`, the protobuf encoded here by hand. */
export function migrationUri(
  otps: readonly MigrationOtp[],
  batch: { size: number; index: number; id: number } = { size: 1, index: 0, id: 7 },
): string {
  const message = [
    ...otps.flatMap((otp) => bytesField(1, otpMessage(otp))),
    ...varintField(2, 1),
    ...varintField(3, batch.size),
    ...varintField(4, batch.index),
    ...varintField(5, batch.id),
  ];
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(message).toString('base64'))}`;
}

function otpMessage(otp: MigrationOtp): number[] {
  const text = (value: string): number[] => [...Buffer.from(value, 'utf8')];
  return [
    ...bytesField(1, [...otp.secret]),
    ...bytesField(2, text(otp.name)),
    ...(otp.issuer === undefined ? [] : bytesField(3, text(otp.issuer))),
    ...varintField(4, otp.algorithm ?? 1),
    ...varintField(5, otp.digits ?? 1),
    ...varintField(6, otp.type ?? 2),
    ...(otp.counter === undefined ? [] : varintField(7, otp.counter)),
  ];
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

function varintField(number: number, value: number): number[] {
  return [...varint(number * 8), ...varint(value)];
}

function bytesField(number: number, bytes: readonly number[]): number[] {
  return [...varint(number * 8 + 2), ...varint(bytes.length), ...bytes];
}

/** base32 → bytes, for building transfer payloads from known secrets. */
export function base32Bytes(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let index = 0; index + 8 <= bits.length; index += 8) bytes.push(parseInt(bits.slice(index, index + 8), 2));
  return new Uint8Array(bytes);
}

// qrcode-generator types itself as `export =`: load it the CommonJS way to keep its types.
const qrcode = createRequire(import.meta.url)('qrcode-generator') as (
  typeNumber: 0,
  errorCorrection: 'M',
) => {
  addData(data: string): void;
  make(): void;
  getModuleCount(): number;
  isDark(row: number, column: number): boolean;
};

/** RGBA pixels of a QR code of `text`: 4 px per module, a 4-module quiet zone. */
function qrPixels(text: string): { width: number; height: number; data: Buffer } {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const modules = qr.getModuleCount() + 8;
  const size = modules * 4;
  const data = Buffer.alloc(size * size * 4, 255);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const row = Math.floor(y / 4) - 4;
      const column = Math.floor(x / 4) - 4;
      const inside = row >= 0 && column >= 0 && row < modules - 8 && column < modules - 8;
      if (inside && qr.isDark(row, column)) data.fill(0, (y * size + x) * 4, (y * size + x) * 4 + 3);
    }
  }
  return { width: size, height: size, data };
}

export function qrPng(text: string): Buffer {
  const pixels = qrPixels(text);
  const png = new PNG({ width: pixels.width, height: pixels.height });
  pixels.data.copy(png.data);
  return PNG.sync.write(png);
}

export function qrJpeg(text: string): Buffer {
  return jpeg.encode(qrPixels(text), 90).data;
}
