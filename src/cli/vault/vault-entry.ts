import { OTP_TYPES, type Entry } from '../../core/entry/model.js';
import { DEFAULT_PERIOD, MIN_DIGITS, OTP_ALGORITHMS } from '../../core/otp/parameters.js';

// The entry fields of `secrets.json`. Only the entry model and plain parameters are imported (not the
// code generators, which load otpauth): `list` reads the vault on every run and must start fast.

/** The optional parts of an entry as `secrets.json` stores them. */
export type EntryParts = Partial<Omit<Entry, 'secret' | 'name'>>;

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
  put('digits', entry.digits, entry.digits === MIN_DIGITS || entry.type === 'steam');
  put('period', entry.period, entry.period === DEFAULT_PERIOD || entry.type === 'hotp');
  put('counter', entry.counter, entry.type !== 'hotp');
  put('note', entry.note, entry.note === undefined);
  // Imported from apps that file entries (Aegis groups, 2FAS groups, Bitwarden folders); the Python
  // CLI ignores keys it does not know, as it does `issuer` or `note`.
  put('groups', entry.groups, entry.groups === undefined || entry.groups.length === 0);
  put('favorite', entry.favorite, entry.favorite !== true);
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
    const type = OTP_TYPES.find((known) => known === item.type);
    if (type === undefined) return `unknown type ${JSON.stringify(item.type)}`;
    parts.type = type;
  }
  if (item.algorithm !== undefined) {
    const algorithm = OTP_ALGORITHMS.find((known) => known === item.algorithm);
    if (algorithm === undefined) return `unknown algorithm ${JSON.stringify(item.algorithm)}`;
    parts.algorithm = algorithm;
  }
  if (item.groups !== undefined && item.groups !== null) {
    const groups = item.groups;
    if (!Array.isArray(groups) || !groups.every((group): group is string => typeof group === 'string'))
      return 'its groups are not a list of text';
    parts.groups = groups;
  }
  if (item.favorite !== undefined && item.favorite !== null) {
    if (typeof item.favorite !== 'boolean') return 'its favorite is not true or false';
    parts.favorite = item.favorite;
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
