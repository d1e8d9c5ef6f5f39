import { normalizeBase32 } from '../encoding.js';
import { entryProblem } from '../entry/codes.js';
import { makeEntry, nameFromParts, OTP_TYPES, type Entry, type OtpType } from '../entry/model.js';
import { OTP_ALGORITHMS, type OtpAlgorithm } from '../otp/otp.js';
import { show } from './import-item.js';

/**
 * The fields of an entry as a file holds them: any JSON value, or text from a URI. Every parser
 * funnels through `buildEntry`, so the checks and the naming rule are the same for every format.
 */
export interface EntryFields {
  readonly secret: unknown;
  readonly issuer?: unknown;
  readonly account?: unknown;
  /** Only formats that carry open2fa's own name give it; others get `Issuer:account`. */
  readonly name?: unknown;
  readonly type?: unknown;
  readonly algorithm?: unknown;
  readonly digits?: unknown;
  readonly period?: unknown;
  readonly counter?: unknown;
  readonly note?: unknown;
  /** A list of group names; empty names and repeats are dropped. */
  readonly groups?: unknown;
  readonly favorite?: unknown;
}

/**
 * A file's type with the one of `period` and `counter` that the type uses, for files that keep both
 * whatever the type (andOTP, 2FAS): a HOTP entry counts, the others tick; the other field is ignored.
 */
export function typeFields(
  type: unknown,
  period: unknown,
  counter: unknown,
): Pick<EntryFields, 'type' | 'period' | 'counter'> {
  return type === 'HOTP' ? { type, counter } : { type, period };
}

export type BuiltEntry =
  { readonly ok: true; readonly entry: Entry } | { readonly ok: false; readonly problem: string };

/**
 * A checked entry, or why the fields do not make one. The secret is stored canonical (upper case,
 * no spaces or padding). Without an explicit name the name is `Issuer:account`; the account is kept
 * separately only when an issuer is there too (otherwise the name already is the account).
 */
export function buildEntry(fields: EntryFields, options: BuildOptions = {}): BuiltEntry {
  try {
    return { ok: true, entry: checked(fields, options.keepSecret === true) };
  } catch (error) {
    if (error instanceof FieldProblem) return { ok: false, problem: error.message };
    throw error;
  }
}

export interface BuildOptions {
  /**
   * Keep the secret as written (trimmed) instead of canonical: open2fa's own files do, because v1
   * ciphertexts are computed over the stored text.
   */
  readonly keepSecret?: boolean;
}

class FieldProblem extends Error {}

function checked(fields: EntryFields, keepSecret: boolean): Entry {
  if (typeof fields.secret !== 'string' || fields.secret.trim() === '') throw new FieldProblem('no secret');
  const canonical = normalizeBase32(fields.secret);
  if (canonical === null) throw new FieldProblem('the secret is not base32');
  const secret = keepSecret ? fields.secret.trim() : canonical;
  const issuer = optionalText(fields.issuer, 'issuer') ?? '';
  const account = optionalText(fields.account, 'account') ?? '';
  const name = fields.name === undefined ? nameFromParts(issuer, account) : nullableText(fields.name, 'name');
  const explicit = fields.name !== undefined;
  // A note is kept as written; only names are trimmed.
  const note = fields.note === undefined || fields.note === null ? undefined : rawText(fields.note, 'note');
  const entry = makeEntry(secret, name, {
    ...(issuer === '' ? {} : { issuer }),
    ...(account !== '' && (explicit || (issuer !== '' && account !== issuer)) ? { account } : {}),
    ...(note === undefined || note === '' ? {} : { note }),
    type: otpType(fields.type),
    algorithm: algorithm(fields.algorithm),
    ...numberField('digits', fields.digits),
    ...numberField('period', fields.period),
    ...numberField('counter', fields.counter),
    ...groupList(fields.groups),
    ...favoriteFlag(fields.favorite),
  });
  const problem = entryProblem(entry);
  if (problem !== null) throw new FieldProblem(problem);
  return entry;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FieldProblem(`the ${field} is not text`);
  return value.trim();
}

function rawText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new FieldProblem(`the ${field} is not text`);
  return value;
}

function nullableText(value: unknown, field: string): string | null {
  const text = optionalText(value, field);
  return text === undefined || text === '' ? null : text;
}

function otpType(value: unknown): OtpType {
  if (value === undefined || value === null) return 'totp';
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  const found = OTP_TYPES.find((type) => type === text);
  if (found === undefined) {
    throw new FieldProblem(`unsupported type "${show(value)}" (open2fa supports totp, hotp and steam)`);
  }
  return found;
}

function algorithm(value: unknown): OtpAlgorithm {
  if (value === undefined || value === null || value === '') return 'SHA1';
  const text = typeof value === 'string' ? value.trim().toUpperCase().replace('-', '') : '';
  const found = OTP_ALGORITHMS.find((name) => name === text);
  if (found === undefined) {
    throw new FieldProblem(`unknown algorithm "${show(value)}" (open2fa supports SHA1, SHA256 and SHA512)`);
  }
  return found;
}

/** A whole number given as a JSON number or as decimal text; absent stays absent (the default applies). */
function numberField<K extends 'digits' | 'period' | 'counter'>(field: K, value: unknown): Partial<Record<K, number>> {
  if (value === undefined || value === null || value === '') return {};
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw new FieldProblem(`the ${field} is not a whole number: ${show(value)}`);
  }
  return { [field]: number } as Partial<Record<K, number>>;
}

function groupList(value: unknown): { groups?: readonly string[] } {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value) || !value.every((group) => typeof group === 'string')) {
    throw new FieldProblem('the groups are not a list of names');
  }
  const groups = [...new Set(value.map((group: string) => group.trim()).filter((group) => group !== ''))];
  return groups.length === 0 ? {} : { groups };
}

/** Only a true favourite is kept: `false` is the default and stays absent. */
function favoriteFlag(value: unknown): { favorite?: true } {
  if (value === undefined || value === null || value === false) return {};
  if (value !== true) throw new FieldProblem(`the favourite flag is not true or false: ${show(value)}`);
  return { favorite: true };
}
