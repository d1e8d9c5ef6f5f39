import { entryCode, entryProblem } from '../../core/entry/codes.js';
import { totpSecondsRemaining } from '../../core/otp/otp.js';
import type { Entry } from '../../core/entry/model.js';

/**
 * The code an entry shows now, or `null` when it cannot produce one (a file may hold a secret the
 * Python client wrote unchecked, or parameters out of range): it shows as invalid, not a crash.
 * HOTP entries show the code of their stored counter; only `open2fa code` advances it.
 */
export function codeOf(entry: Entry, now: number): string | null {
  return entryProblem(entry) === null ? entryCode(entry, now) : null;
}

/** Whole seconds until a time-based entry's code changes; `null` for HOTP (it changes on use). */
export function secondsRemainingOf(entry: Entry, now: number): number | null {
  if (entry.type === 'hotp' || !Number.isSafeInteger(entry.period) || entry.period < 1) return null;
  return totpSecondsRemaining(entry.period, now);
}

/**
 * The JSON of one entry's code for scripts: `{name, code, secondsRemaining}` as before, plus the
 * type, digits, period and counter where they differ from TOTP, 6 digits and 30 s.
 */
export function codeJson(entry: Entry, now: number): Record<string, unknown> {
  const remaining = secondsRemainingOf(entry, now);
  return {
    name: entry.name,
    ...(entry.type === 'totp' ? {} : { type: entry.type }),
    ...(entry.digits === 6 || entry.type === 'steam' ? {} : { digits: entry.digits }),
    ...(entry.type !== 'hotp' && entry.period !== 30 ? { period: entry.period } : {}),
    code: codeOf(entry, now),
    ...(remaining === null ? { counter: entry.counter } : { secondsRemaining: remaining }),
  };
}
