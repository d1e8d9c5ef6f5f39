import { HOTP, Secret, TOTP } from 'otpauth';
import { decodeBase32 } from '../encoding.js';

import { DEFAULT_PERIOD, MAX_DIGITS, MIN_DIGITS, type OtpAlgorithm } from './parameters.js';

export { DEFAULT_PERIOD, MAX_DIGITS, MIN_DIGITS, OTP_ALGORITHMS, type OtpAlgorithm } from './parameters.js';

/** The parameters every HOTP/TOTP code depends on. Defaults are the Google Authenticator ones. */
export interface OtpParameters {
  /** The shared secret, raw bytes or base32 text as people copy it. */
  readonly secret: Uint8Array | string;
  readonly algorithm?: OtpAlgorithm;
  /** 6 to 8 digits (RFC 4226 §5.3 asks for at least 6). */
  readonly digits?: number;
}

export interface TotpParameters extends OtpParameters {
  /** Time step in seconds (RFC 6238 §4: X, default 30). */
  readonly period?: number;
}

/**
 * The TOTP code at `timestamp` (milliseconds since the epoch).
 *
 * @see RFC 6238 §4
 * @example totpCode({ secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', digits: 8 }, 59_000) // '94287082'
 */
export function totpCode(parameters: TotpParameters, timestamp: number = Date.now()): string {
  const period = checkPeriod(parameters.period ?? DEFAULT_PERIOD);
  checkTimestamp(timestamp);
  return TOTP.generate({
    secret: toSecret(parameters.secret),
    algorithm: parameters.algorithm ?? 'SHA1',
    digits: checkDigits(parameters.digits ?? MIN_DIGITS),
    period,
    timestamp,
  });
}

/**
 * Whole seconds until the code changes (1 to `period`): the countdown a person sees.
 * The code changes exactly when `floor(timestamp / 1000 / period)` does.
 */
export function totpSecondsRemaining(period: number = DEFAULT_PERIOD, timestamp: number = Date.now()): number {
  checkPeriod(period);
  checkTimestamp(timestamp);
  return Math.ceil(TOTP.remaining({ period, timestamp }) / 1000);
}

/** The RFC 6238 time counter T at `timestamp`. */
export function totpCounter(period: number = DEFAULT_PERIOD, timestamp: number = Date.now()): number {
  checkPeriod(period);
  checkTimestamp(timestamp);
  return TOTP.counter({ period, timestamp });
}

/**
 * The HOTP code for `counter`.
 *
 * @see RFC 4226 §5.3
 */
export function hotpCode(parameters: OtpParameters, counter: number): string {
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new RangeError(`an HOTP counter is a non-negative integer, got ${String(counter)}`);
  }
  return HOTP.generate({
    secret: toSecret(parameters.secret),
    algorithm: parameters.algorithm ?? 'SHA1',
    digits: checkDigits(parameters.digits ?? MIN_DIGITS),
    counter,
  });
}

function toSecret(secret: Uint8Array | string): Secret {
  const bytes = typeof secret === 'string' ? decodeBase32(secret) : secret;
  if (bytes.length === 0) throw new RangeError('an OTP secret cannot be empty');
  return new Secret({ buffer: bytes.slice().buffer });
}

function checkDigits(digits: number): number {
  if (!Number.isInteger(digits) || digits < MIN_DIGITS || digits > MAX_DIGITS) {
    throw new RangeError(
      `digits must be an integer from ${String(MIN_DIGITS)} to ${String(MAX_DIGITS)}, got ${String(digits)}`,
    );
  }
  return digits;
}

function checkPeriod(period: number): number {
  if (!Number.isSafeInteger(period) || period < 1) {
    throw new RangeError(`period must be a positive whole number of seconds, got ${String(period)}`);
  }
  return period;
}

function checkTimestamp(timestamp: number): void {
  if (!Number.isFinite(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be a non-negative number of milliseconds, got ${String(timestamp)}`);
  }
}
