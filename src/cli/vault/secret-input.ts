import type { Entry } from '../../core/entry/model.js';
import { CliError } from '../cli-error.js';
import { checkName, checkSecret, isValidSecret } from './secret-rules.js';

/** What `add` stores: the checked secret, its name and, from a URI, its other parameters. */
export interface NewSecret {
  readonly secret: string;
  readonly name: string | null;
  readonly parts?: Partial<Omit<Entry, 'secret' | 'name'>>;
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
    return { ...fromUri, name: checkName(explicitName ?? fromUri.name) };
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
 * Reads an `otpauth://` URI (the text of an authenticator QR code): TOTP, HOTP or Steam, with its
 * algorithm, digits, period or counter, issuer and account.
 */
export async function parseOtpauthUri(uri: string): Promise<NewSecret> {
  // Imported on demand: only URIs need the parser.
  const { parseOtpauthUri: parse } = await import('../../core/formats/otpauth-uri.js');
  const parsed = parse(uri);
  if (!parsed.ok) throw new CliError('invalid_secret', `invalid otpauth URI: ${parsed.problem}`);
  const { secret, name, ...parts } = parsed.entry;
  return { secret, name, parts };
}
