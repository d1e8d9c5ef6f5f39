import { URI } from 'otpauth';
import { normalizeBase32 } from '../core/encoding.js';

export type NewEntryResult =
  | { readonly ok: true; readonly secret: string; readonly name: string | null }
  | { readonly ok: false; readonly message: string };

/**
 * Reads what a person adds: a base32 secret, or an `otpauth://totp/...` link (typed, or read from a
 * QR image). v1 stores only the secret, so links asking for other parameters are refused rather than
 * silently showing wrong codes.
 *
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 */
export function parseNewEntry(input: string): NewEntryResult {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Enter a secret, an otpauth:// link, or choose a QR code image.' };
  if (/^otpauth:/i.test(text)) return parseOtpauthUri(text);
  const secret = normalizeBase32(text);
  if (secret === null) {
    return {
      ok: false,
      message: 'This is not a base32 secret: use the letters A-Z and digits 2-7, or an otpauth:// link.',
    };
  }
  return { ok: true, secret, name: null };
}

function parseOtpauthUri(text: string): NewEntryResult {
  let otp: ReturnType<typeof URI.parse>;
  try {
    otp = URI.parse(text);
  } catch {
    return { ok: false, message: 'This otpauth:// link is not valid: it needs a label and a base32 secret.' };
  }
  if (!('period' in otp)) {
    return { ok: false, message: 'This is a counter-based (HOTP) link; open2fa shows time-based (TOTP) codes only.' };
  }
  if (otp.algorithm !== 'SHA1' || otp.digits !== 6 || otp.period !== 30) {
    return {
      ok: false,
      message: `This link asks for ${otp.algorithm}, ${String(otp.digits)} digits and ${String(otp.period)} s; open2fa v1 entries always use SHA1, 6 digits and 30 s, so its codes would be wrong.`,
    };
  }
  const secret = normalizeBase32(otp.secret.base32);
  if (secret === null) return { ok: false, message: 'This otpauth:// link has an empty secret.' };
  const label = otp.label.trim();
  const issuer = otp.issuer.trim();
  const name = issuer && label && issuer !== label ? `${issuer}: ${label}` : issuer || label;
  return { ok: true, secret, name: name === '' ? null : name };
}
