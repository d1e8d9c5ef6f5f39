import type { Entry, OtpType } from '../core/entry.js';
import type { OtpAlgorithm } from '../core/otp.js';

// The entry fields of `secrets.json`, kept free of otpauth and the core's code generators: `list`
// reads the vault on every run and must start fast. The constants mirror src/core (entry.ts, otp.ts).
const TYPES: readonly OtpType[] = ['totp', 'hotp', 'steam'];
const ALGORITHMS: readonly OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const DEFAULT_DIGITS = 6;
const STEAM_DIGITS = 5;
const DEFAULT_PERIOD = 30;

/** The optional parts of an entry as `secrets.json` stores them. */
export type EntryParts = Partial<Omit<Entry, 'secret' | 'name'>>;

/** An entry with the Google Authenticator defaults filled in (as `makeEntry` in src/core/entry.ts). */
export function defaultedEntry(secret: string, name: string | null, parts: EntryParts): Entry {
  const type = parts.type ?? 'totp';
  return {
    secret,
    name,
    ...(parts.issuer === undefined ? {} : { issuer: parts.issuer }),
    ...(parts.account === undefined ? {} : { account: parts.account }),
    type,
    algorithm: parts.algorithm ?? 'SHA1',
    digits: type === 'steam' ? STEAM_DIGITS : (parts.digits ?? DEFAULT_DIGITS),
    period: parts.period ?? DEFAULT_PERIOD,
    counter: parts.counter ?? 0,
    ...(parts.note === undefined ? {} : { note: parts.note }),
  };
}

/**
 * The fields an entry adds to `{"secret", "name"}` in the file: only those that differ from the
 * defaults (the counter of HOTP entries always), so a plain TOTP entry keeps the Python layout.
 */
export function entryFields(
  entry: Entry & { readonly raw?: Readonly<Record<string, unknown>> },
): Record<string, unknown> {
  const raw = entry.raw ?? {};
  const fields: Record<string, unknown> = {};
  const put = (key: string, value: unknown, isDefault: boolean): void => {
    // A field already in the file stays, even at its default: an unchanged file is rewritten byte for byte.
    if (!isDefault || key in raw) fields[key] = value;
  };
  put('issuer', entry.issuer, entry.issuer === undefined);
  put('account', entry.account, entry.account === undefined);
  put('type', entry.type, entry.type === 'totp');
  put('algorithm', entry.algorithm, entry.algorithm === 'SHA1');
  put('digits', entry.digits, entry.digits === DEFAULT_DIGITS || entry.type === 'steam');
  put('period', entry.period, entry.period === DEFAULT_PERIOD || entry.type === 'hotp');
  put('counter', entry.counter, entry.type !== 'hotp');
  put('note', entry.note, entry.note === undefined);
  return fields;
}

/** Reads the optional fields of a stored entry, or says what is wrong with them. */
export function readEntryParts(item: Readonly<Record<string, unknown>>): EntryParts | string {
  const parts: { -readonly [K in keyof EntryParts]: EntryParts[K] } = {};
  for (const key of ['issuer', 'account', 'note'] as const) {
    const value = item[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return `its ${key} is not text`;
    parts[key] = value;
  }
  if (item.type !== undefined) {
    const type = TYPES.find((known) => known === item.type);
    if (type === undefined) return `unknown type ${JSON.stringify(item.type)}`;
    parts.type = type;
  }
  if (item.algorithm !== undefined) {
    const algorithm = ALGORITHMS.find((known) => known === item.algorithm);
    if (algorithm === undefined) return `unknown algorithm ${JSON.stringify(item.algorithm)}`;
    parts.algorithm = algorithm;
  }
  for (const key of ['digits', 'period', 'counter'] as const) {
    const value = item[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      return `its ${key} is not a whole number`;
    parts[key] = value;
  }
  return parts;
}
