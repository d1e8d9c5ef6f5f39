import { URI } from 'otpauth';
import { normalizeBase32 } from '../core/encoding.js';
import { entryProblem } from '../core/entry/codes.js';
import { makeEntry, type Entry as OtpEntry } from '../core/entry/model.js';
import { OTP_ALGORITHMS } from '../core/otp/otp.js';

export type NewEntryResult =
  /** `name` is `entry.name`: the name a link suggests, or `null`. */
  | { readonly ok: true; readonly entry: OtpEntry; readonly name: string | null }
  | { readonly ok: false; readonly message: string };

/**
 * Reads what a person adds: a base32 secret (TOTP, SHA1, 6 digits, 30 s), or an `otpauth://totp/...` or
 * `otpauth://hotp/...` link (typed, or read from a QR image) with its algorithm, digits, period or counter.
 * New entries are v2 items, which keep every parameter, so links are taken as they are.
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
  return { ok: true, entry: makeEntry(secret, null), name: null };
}

function parseOtpauthUri(text: string): NewEntryResult {
  let otp: ReturnType<typeof URI.parse>;
  try {
    otp = URI.parse(text);
  } catch {
    return { ok: false, message: 'This otpauth:// link is not valid: it needs a label and a base32 secret.' };
  }
  const algorithm = OTP_ALGORITHMS.find((candidate) => candidate === otp.algorithm);
  if (algorithm === undefined) {
    return { ok: false, message: `This link asks for ${otp.algorithm}; open2fa supports SHA1, SHA256 and SHA512.` };
  }
  const secret = normalizeBase32(otp.secret.base32);
  if (secret === null) return { ok: false, message: 'This otpauth:// link has an empty secret.' };
  const label = otp.label.trim();
  const issuer = otp.issuer.trim();
  const name = issuer && label && issuer !== label ? `${issuer}: ${label}` : issuer || label;
  const entry = makeEntry(secret, name === '' ? null : name, {
    algorithm,
    digits: otp.digits,
    ...('period' in otp ? { type: 'totp', period: otp.period } : { type: 'hotp', counter: otp.counter }),
    ...(issuer === '' ? {} : { issuer }),
    ...(label === '' ? {} : { account: label }),
  });
  const problem = entryProblem(entry);
  return problem === null
    ? { ok: true, entry, name: entry.name }
    : { ok: false, message: `This otpauth:// link cannot make codes: ${problem}.` };
}
