import { CliError } from './cli-error.js';
import { checkName, checkSecret, isValidSecret } from './secret-rules.js';

/** What `add` stores: the checked secret and its name. */
export interface NewSecret {
  readonly secret: string;
  readonly name: string | null;
}

const OTPAUTH_PREFIX = /^otpauth:\/\//i;

/**
 * Works out which argument is the secret, as the Python client did: the first one if it is a valid
 * secret, else the second (arguments swapped); an `otpauth://` URI counts as a secret and brings its
 * own name. A positional name wins over `-n`, which wins over the URI's.
 */
export async function resolveNewSecret(
  first: string | undefined,
  second: string | undefined,
  nameOption: string | undefined,
): Promise<NewSecret> {
  const [secretArg, nameArg] = pickSecret(first, second);
  const explicitName = nameArg ?? nameOption;
  if (OTPAUTH_PREFIX.test(secretArg.trim())) {
    const fromUri = await parseOtpauthUri(secretArg.trim());
    return { secret: fromUri.secret, name: checkName(explicitName ?? fromUri.name) };
  }
  return { secret: checkSecret(secretArg), name: checkName(explicitName) };
}

/**
 * Which argument is the secret. The Python client only took unspaced base32, so a name like
 * "Work mail" never looked like a secret to it; a compact candidate is therefore preferred over
 * one that is valid only with its spaces removed, and otherwise the first argument wins.
 */
function pickSecret(first: string | undefined, second: string | undefined): [string, string | undefined] {
  if (first === undefined) throw new CliError('usage', 'no secret given');
  const compact = (text: string): boolean => OTPAUTH_PREFIX.test(text.trim()) || isCompactSecret(text);
  const loose = (text: string): boolean => OTPAUTH_PREFIX.test(text.trim()) || isValidSecret(text);
  for (const test of [compact, loose]) {
    if (test(first)) return [first, second];
    if (second !== undefined && test(second)) return [second, first];
  }
  // Neither is valid: report on the first, which is where people put the secret.
  return [first, second];
}

function isCompactSecret(text: string): boolean {
  return /^[A-Za-z2-7]+=*$/.test(text.trim()) && isValidSecret(text);
}

/**
 * Reads an `otpauth://totp/...` URI (the text of an authenticator QR code). Only the parameters the
 * v1 file format can hold are accepted: SHA1, 6 digits, 30 seconds.
 */
export async function parseOtpauthUri(uri: string): Promise<NewSecret> {
  // Imported on demand: only URIs need otpauth's parser.
  const { HOTP, URI } = await import('otpauth');
  let otp: ReturnType<typeof URI.parse>;
  try {
    otp = URI.parse(uri);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CliError('invalid_secret', `invalid otpauth URI: ${why}`);
  }
  if (otp instanceof HOTP) {
    throw new CliError('invalid_secret', 'otpauth://hotp (counter-based) codes are not supported; use a totp URI');
  }
  if (otp.algorithm !== 'SHA1' || otp.digits !== 6 || otp.period !== 30) {
    throw new CliError(
      'invalid_secret',
      `unsupported otpauth URI: only SHA1, 6 digits and 30 seconds are supported (got ${otp.algorithm}, ` +
        `${String(otp.digits)} digits, ${String(otp.period)} s)`,
    );
  }
  // "GitHub:alice" from issuer and account; an issuer repeated as the account is not doubled.
  const parts = [...new Set([otp.issuer, otp.label])].filter((part) => part !== '');
  return { secret: otp.secret.base32, name: parts.length === 0 ? null : parts.join(':') };
}
