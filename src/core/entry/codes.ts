import { HOTP, Secret } from 'otpauth';
import { decodeBase32, normalizeBase32 } from '../encoding.js';
import { STEAM_DIGITS, OTP_TYPES, type Entry } from './model.js';
import { hotpCode, MAX_DIGITS, MIN_DIGITS, OTP_ALGORITHMS, totpCode, totpCounter } from '../otp/otp.js';

const STEAM_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

/**
 * Why an entry cannot produce codes, or `null` when it can. A value, not an exception: imports report
 * every bad entry by name.
 */
export function entryProblem(entry: Entry): string | null {
  if (normalizeBase32(entry.secret) === null) return 'the secret is not base32';
  if (decodeBase32(entry.secret).length === 0) return 'the secret is empty';
  if (!OTP_TYPES.includes(entry.type)) return `unknown type "${entry.type}"`;
  if (!OTP_ALGORITHMS.includes(entry.algorithm)) return `unknown algorithm "${entry.algorithm}"`;
  if (entry.type === 'steam') {
    if (entry.digits !== STEAM_DIGITS) return 'Steam codes have 5 characters';
  } else if (!Number.isInteger(entry.digits) || entry.digits < MIN_DIGITS || entry.digits > MAX_DIGITS) {
    return `digits must be ${String(MIN_DIGITS)} to ${String(MAX_DIGITS)}`;
  }
  if (!Number.isSafeInteger(entry.period) || entry.period < 1) return 'the period must be a positive whole number';
  if (!Number.isSafeInteger(entry.counter) || entry.counter < 0) return 'the counter must be a non-negative integer';
  return null;
}

/**
 * The code an entry shows at `timestamp`: TOTP and Steam by time, HOTP by its counter (the caller
 * advances and saves the counter after showing it).
 */
export function entryCode(entry: Entry, timestamp: number = Date.now()): string {
  const parameters = { secret: entry.secret, algorithm: entry.algorithm, digits: entry.digits };
  switch (entry.type) {
    case 'totp':
      return totpCode({ ...parameters, period: entry.period }, timestamp);
    case 'hotp':
      return hotpCode(parameters, entry.counter);
    case 'steam':
      return steamCode(entry.secret, totpCounter(entry.period, timestamp));
  }
}

/**
 * Steam Guard codes: the RFC 4226 dynamic truncation of HMAC-SHA1 over the time counter, written in
 * base 26 with Steam's alphabet, least significant first, 5 characters.
 */
export function steamCode(secret: string | Uint8Array, counter: number): string {
  const bytes = typeof secret === 'string' ? decodeBase32(secret) : secret;
  // otpauth reduces the 31-bit truncated value modulo 10^digits; with 10 digits nothing is lost.
  let value = Number(
    HOTP.generate({ secret: new Secret({ buffer: bytes.slice().buffer }), algorithm: 'SHA1', digits: 10, counter }),
  );
  let code = '';
  for (let index = 0; index < STEAM_DIGITS; index++) {
    code += STEAM_ALPHABET.charAt(value % STEAM_ALPHABET.length);
    value = Math.floor(value / STEAM_ALPHABET.length);
  }
  return code;
}
