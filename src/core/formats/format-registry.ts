import { authenticatorPlusFormat } from './authenticator-plus-format.js';
import { authyFormat } from './authy-format.js';
import { battleNetFormat } from './battle-net-format.js';
import { freeotpPlusFormat } from './freeotp-plus-format.js';
import { freeotpFormat } from './freeotp-format.js';
import { googleAuthenticatorDbFormat } from './google-authenticator-db-format.js';
import { microsoftAuthenticatorFormat } from './microsoft-authenticator-format.js';
import { stratumDbFormat } from './stratum-db-format.js';
import { totpAuthenticatorFormat } from './totp-authenticator-format.js';
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
 * formats with a distinctive key come first, then the XML, Java-serialised, SQLite and ZIP formats
 * (each looks for its own marker), then loose shapes (a bare list, binary without a magic number),
 * text lines, and last TOTP Authenticator's backup, bare base64, which only a name-less check can
 * tell. Every `detect` is exclusive (test/core/formats/format-registry.test.ts checks each sample
 * against every format), so the order decides only speed and the loose shapes.
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
  freeotpPlusFormat,
  duoFormat,
  freeotpFormat,
  authyFormat,
  battleNetFormat,
  googleAuthenticatorDbFormat,
  microsoftAuthenticatorFormat,
  stratumDbFormat,
  authenticatorPlusFormat,
  andOtpFormat,
  bitwardenCsvFormat,
  winAuthFormat,
  googleMigrationFormat,
  otpauthFormat,
  totpAuthenticatorFormat,
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
