import { authenticatorPlusFormat } from './authenticator-plus-format.js';
import { authyFormat } from './authy-format.js';
import { battleNetFormat } from './battle-net-format.js';
import type { ImportFormatSpec } from './format-spec.js';
import { freeotpPlusFormat } from './freeotp-plus-format.js';
import { freeotpFormat } from './freeotp-format.js';
import { googleAuthenticatorDbFormat } from './google-authenticator-db-format.js';
import { microsoftAuthenticatorFormat } from './microsoft-authenticator-format.js';
import { stratumDbFormat } from './stratum-db-format.js';
import { totpAuthenticatorFormat } from './totp-authenticator-format.js';

/**
 * The XML, binary, database and ZIP formats, in detection order, for the lead to merge into
 * `IMPORT_FORMAT_SPECS`. Each `detect` looks for its own marker (a shared-preferences key, the
 * Java stream header, table and column names in a SQLite schema, `Accounts.txt` in a ZIP), so
 * the order matters only for TOTP Authenticator's backup, bare base64, which goes last, and for
 * the files recognised by name alone (SQLCipher databases), which go after the content checks.
 */
export const FORMATS_B: readonly ImportFormatSpec[] = [
  freeotpFormat,
  freeotpPlusFormat,
  authyFormat,
  battleNetFormat,
  googleAuthenticatorDbFormat,
  microsoftAuthenticatorFormat,
  stratumDbFormat,
  authenticatorPlusFormat,
  totpAuthenticatorFormat,
];
