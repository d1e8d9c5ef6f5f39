/**
 * The entry model shared by the CLI's vault, the v2 envelope, imports and exports, without the code
 * generators (entry.ts), so that storing and listing entries does not load otpauth.
 */
import { DEFAULT_PERIOD, MIN_DIGITS, type OtpAlgorithm } from './otp-parameters.js';

export const OTP_TYPES = ['totp', 'hotp', 'steam'] as const;
export type OtpType = (typeof OTP_TYPES)[number];

/**
 * One account's second factor, as every part of open2fa stores and syncs it: the CLI's vault, the v2
 * envelope's plaintext, imports and exports. Optional parts are absent rather than empty.
 */
export interface Entry {
  /** The shared secret in base32, as the person typed or imported it (v1 ciphertexts cover this text). */
  readonly secret: string;
  readonly name: string | null;
  readonly issuer?: string;
  readonly account?: string;
  readonly type: OtpType;
  readonly algorithm: OtpAlgorithm;
  /** 6–8 for TOTP/HOTP; Steam codes are always 5 characters. */
  readonly digits: number;
  /** Seconds per code (TOTP and Steam). */
  readonly period: number;
  /** The next HOTP counter. */
  readonly counter: number;
  readonly note?: string;
  /** The groups (folders, tags, categories) the entry was filed under in the app it came from. */
  readonly groups?: readonly string[];
  /** Marked as a favourite (pinned) in the app it came from. */
  readonly favorite?: boolean;
}

export const STEAM_DIGITS = 5;

/** An entry with the Google Authenticator defaults (TOTP, SHA1, 6 digits, 30 s). */
export function makeEntry(
  secret: string,
  name: string | null,
  parts: Partial<Omit<Entry, 'secret' | 'name'>> = {},
): Entry {
  const type = parts.type ?? 'totp';
  return {
    secret,
    name,
    ...(parts.issuer === undefined ? {} : { issuer: parts.issuer }),
    ...(parts.account === undefined ? {} : { account: parts.account }),
    type,
    algorithm: parts.algorithm ?? 'SHA1',
    digits: type === 'steam' ? STEAM_DIGITS : (parts.digits ?? MIN_DIGITS),
    period: parts.period ?? DEFAULT_PERIOD,
    counter: parts.counter ?? 0,
    ...(parts.note === undefined ? {} : { note: parts.note }),
    ...(parts.groups === undefined ? {} : { groups: parts.groups }),
    ...(parts.favorite === undefined ? {} : { favorite: parts.favorite }),
  };
}

/**
 * The entry as a plain object in a fixed key order, optional parts only when present: the one shape
 * that the v2 envelope payload and the open2fa export write.
 */
export function entryRecord(entry: Entry): Record<string, unknown> {
  return {
    secret: entry.secret,
    name: entry.name,
    ...(entry.issuer === undefined ? {} : { issuer: entry.issuer }),
    ...(entry.account === undefined ? {} : { account: entry.account }),
    type: entry.type,
    algorithm: entry.algorithm,
    digits: entry.digits,
    period: entry.period,
    counter: entry.counter,
    ...(entry.note === undefined ? {} : { note: entry.note }),
    ...(entry.groups === undefined ? {} : { groups: entry.groups }),
    ...(entry.favorite === undefined ? {} : { favorite: entry.favorite }),
  };
}
