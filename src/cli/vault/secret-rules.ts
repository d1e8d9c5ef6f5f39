import { normalizeBase32 } from '../../core/encoding.js';
import { CliError } from '../cli-error.js';

/** The v1 server keeps names up to this length (`V1_LIMITS.nameMaxLength`). */
export const NAME_MAX_LENGTH = 255;

/**
 * Fewer base32 characters than this (40 bits) is not a real TOTP secret but a word: without the
 * limit, `open2fa add nope` would store "nope", which is valid base32.
 */
export const MIN_SECRET_CHARS = 8;

/**
 * Checks a secret as typed and returns the form `secrets.json` stores (`storedSecretForm`): open2fa
 * 1.x decodes every stored secret with `base64.b32decode` when it starts, so spaces or missing
 * padding would stop it with a traceback.
 */
export function checkSecret(text: string): string {
  const trimmed = text.trim();
  if (!isValidSecret(trimmed)) {
    throw new CliError(
      'invalid_secret',
      `invalid secret: a TOTP secret is base32, at least ${String(MIN_SECRET_CHARS)} of the letters A-Z and digits 2-7`,
    );
  }
  return storedSecretForm(trimmed);
}

/**
 * `true` when open2fa 1.x can decode the text: Python's `base64.b32decode(secret, casefold=True)`
 * takes upper or lower case but no spaces or dashes, and needs the padding to a multiple of 8.
 */
export function readableBy1x(text: string): boolean {
  return /^[A-Za-z2-7]+=*$/.test(text) && text.length % 8 === 0 && normalizeBase32(text) !== null;
}

/**
 * The form a secret is stored in: unchanged when 1.x can read it (v1 ciphertexts are computed over
 * the stored text, so an entry a 1.x client pushed keeps matching its remote copy), otherwise upper
 * case without spaces and padded with `=` to a multiple of 8 (RFC 4648 §6), which 1.x reads. Text
 * that is not base32 at all is returned unchanged, for the caller's own check to report.
 *
 * @example storedSecretForm('jbsw y3dp ehpk 3pxp') // 'JBSWY3DPEHPK3PXP'
 * @example storedSecretForm('GEZDGNBVGY3TQOJQGEZDGNBVGY') // 'GEZDGNBVGY3TQOJQGEZDGNBVGY======'
 */
export function storedSecretForm(text: string): string {
  const trimmed = text.trim();
  if (readableBy1x(trimmed)) return trimmed;
  const canonical = normalizeBase32(trimmed);
  if (canonical === null) return text;
  return canonical.padEnd(Math.ceil(canonical.length / 8) * 8, '=');
}

/** `true` when the text is acceptable as a new secret: base32 of at least `MIN_SECRET_CHARS`. */
export function isValidSecret(text: string): boolean {
  const canonical = normalizeBase32(text.trim());
  return canonical !== null && canonical.length >= MIN_SECRET_CHARS;
}

/** `true` when a stored secret (maybe written by another client) can produce codes at all. */
export function isUsableSecret(text: string): boolean {
  return normalizeBase32(text.trim()) !== null;
}

/** Two secrets are the same when they decode to the same key, however they were typed. */
export function sameSecret(a: string, b: string): boolean {
  if (a === b) return true;
  const left = normalizeBase32(a.trim());
  return left !== null && left === normalizeBase32(b.trim());
}

/** Checks a name; empty means "no name" (`null`), as the Python client stored it. */
export function checkName(text: string | undefined | null): string | null {
  if (text === undefined || text === null) return null;
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (trimmed.length > NAME_MAX_LENGTH) {
    throw new CliError('invalid_name', `a name has at most ${String(NAME_MAX_LENGTH)} characters`);
  }
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point here
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new CliError('invalid_name', 'a name cannot contain control characters (such as tabs or new lines)');
  }
  return trimmed;
}
