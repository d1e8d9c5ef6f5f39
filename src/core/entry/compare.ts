import { normalizeBase32 } from '../encoding.js';
import type { Entry } from './model.js';

/**
 * Whether two entries produce the same codes: the same key (however its base32 was typed) and the
 * same type, algorithm, digits and period. The HOTP counter is not compared: it moves with use.
 */
export function sameCodes(a: Entry, b: Entry): boolean {
  const secret = normalizeBase32(a.secret);
  return (
    secret !== null &&
    secret === normalizeBase32(b.secret) &&
    a.type === b.type &&
    a.algorithm === b.algorithm &&
    a.digits === b.digits &&
    (a.type === 'hotp' || a.period === b.period)
  );
}

/** The secret as other apps want it: upper case, no spaces, hyphens or padding. */
export function canonicalSecret(secret: string): string {
  return normalizeBase32(secret) ?? secret.trim();
}
