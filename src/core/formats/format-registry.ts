import { aegisFormat } from './aegis-format.js';
import { andOtpFormat } from './andotp-format.js';
import { bitwardenCsvFormat } from './bitwarden-csv-format.js';
import { bitwardenFormat } from './bitwarden-format.js';
import { open2faBackupFormat } from './encrypted-backup.js';
import { duoFormat } from './duo-format.js';
import { enteAuthFormat } from './ente-auth-format.js';
import type { ImportFormatSpec, ImportOptions, ImportOutcome, ImportSource } from './format-spec.js';
import { open2faFormat } from './open2fa-format.js';
import { protonAuthenticatorFormat } from './proton-authenticator-format.js';
import { protonPassFormat } from './proton-pass-format.js';
import { steamFormat } from './steam-format.js';
import { stratumFormat } from './stratum-format.js';
import { googleMigrationFormat, otpauthFormat } from './otpauth-lines-format.js';
import { twoFasFormat } from './twofas-format.js';
import { winAuthFormat } from './winauth-format.js';

/**
 * Every import format, in detection order: the first whose `detect` accepts a file parses it. JSON
 * formats with a distinctive key come first, loose shapes (a bare list, binary without a magic
 * number) and text lines last.
 */
export const IMPORT_FORMAT_SPECS: readonly ImportFormatSpec[] = [
  open2faBackupFormat,
  open2faFormat,
  aegisFormat,
  twoFasFormat,
  bitwardenFormat,
  enteAuthFormat,
  protonPassFormat,
  protonAuthenticatorFormat,
  stratumFormat,
  steamFormat,
  duoFormat,
  andOtpFormat,
  bitwardenCsvFormat,
  winAuthFormat,
  googleMigrationFormat,
  otpauthFormat,
];

/** No format recognised the file. */
export interface UnknownFormat {
  readonly kind: 'unknown-format';
  readonly message: string;
}

/** The format of that name (`--format NAME`), or `undefined`. */
export function formatByName(name: string): ImportFormatSpec | undefined {
  const wanted = name.trim().toLowerCase();
  return IMPORT_FORMAT_SPECS.find((spec) => spec.name === wanted);
}

/** The first format, in detection order, that recognises the file; `undefined` for none. */
export function detectFormat(source: ImportSource): ImportFormatSpec | undefined {
  return IMPORT_FORMAT_SPECS.find((spec) => spec.detect(source));
}

/**
 * Recognises the file's format by its content and parses it. An encrypted file without
 * `options.password` comes back as `password-needed`: ask, then call again with it.
 */
export async function detectImport(
  source: ImportSource,
  options: ImportOptions = {},
): Promise<ImportOutcome | UnknownFormat> {
  const spec = detectFormat(source);
  if (spec === undefined) {
    return {
      kind: 'unknown-format',
      message: `unknown format: none of ${String(IMPORT_FORMAT_SPECS.length)} known formats matches (see --list-formats; --format NAME forces one)`,
    };
  }
  return spec.parse(source, options);
}
