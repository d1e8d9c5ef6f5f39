import type { Entry } from '../entry/model.js';

/** One entry of an import file: either a usable entry or the reason it is not, with a label naming it. */
export type ImportItem =
  | { readonly ok: true; readonly label: string; readonly entry: Entry }
  | { readonly ok: false; readonly label: string; readonly problem: string };

/** The formats `parseImport` recognises. */
export const IMPORT_FORMATS = {
  otpauth: 'otpauth:// URIs',
  'google-migration': 'Google Authenticator transfer',
  aegis: 'Aegis JSON',
  '2fas': '2FAS backup',
  andotp: 'andOTP JSON',
  bitwarden: 'Bitwarden JSON',
  open2fa: 'open2fa JSON export',
} as const;
export type ImportFormat = keyof typeof IMPORT_FORMATS;

/** What a parser found in a whole file. `warnings` are about the file, not one entry (a missing batch). */
export interface ParsedImport {
  readonly format: ImportFormat;
  readonly items: readonly ImportItem[];
  readonly warnings: readonly string[];
}

/** `entry 3 "GitHub:alice"`, or `entry 3` for an entry without any name. */
export function itemLabel(position: string, name: string | null): string {
  return name === null || name === '' ? position : `${position} "${name}"`;
}

export { isRecord } from '../is-record.js';

/** A JSON value in a message: text as it is, anything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return value;
  // JSON.stringify gives undefined for undefined and functions, despite its declared type.
  return value === undefined || typeof value === 'function' ? typeof value : JSON.stringify(value);
}
