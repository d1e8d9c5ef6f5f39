import { aegisCases } from './aegis-case.js';
import { andOtpCases } from './andotp-case.js';
import { authenticatorPlusCases } from './authenticator-plus-case.js';
import { authyCases } from './authy-case.js';
import { battleNetCases } from './battle-net-case.js';
import { bitwardenCases } from './bitwarden-case.js';
import { duoCases } from './duo-case.js';
import { enteAuthCases } from './ente-auth-case.js';
import type { FormatCase } from './format-case.js';
import { freeotpPlusCases } from './freeotp-plus-case.js';
import { freeotpCases } from './freeotp-case.js';
import { googleAuthenticatorDbCases } from './google-authenticator-db-case.js';
import { googleMigrationCases } from './google-migration-case.js';
import { microsoftAuthenticatorCases } from './microsoft-authenticator-case.js';
import { open2faCases } from './open2fa-case.js';
import { protonAuthenticatorCases } from './proton-authenticator-case.js';
import { protonPassCases } from './proton-pass-case.js';
import { steamCases } from './steam-case.js';
import { stratumDbCases } from './stratum-db-case.js';
import { stratumCases } from './stratum-case.js';
import { totpAuthenticatorCases } from './totp-authenticator-case.js';
import { twoFasCases } from './twofas-case.js';
import { winAuthCases } from './winauth-case.js';

export type { FormatCase } from './format-case.js';

/**
 * One file or more of every import format, each built from its app's public format description by
 * the format's own test file, with the entries every reader must find in it. The CLI end
 * (test/core/formats/every-format.test.ts) and the page (test/web/web-import-formats.test.ts) both
 * loop over this list; test/core/formats/every-format.test.ts checks that it covers the registry.
 */
export const FORMAT_CASES: readonly FormatCase[] = [
  ...open2faCases,
  ...aegisCases,
  ...twoFasCases,
  ...bitwardenCases,
  ...enteAuthCases,
  ...protonPassCases,
  ...protonAuthenticatorCases,
  ...stratumCases,
  ...steamCases,
  ...freeotpPlusCases,
  ...duoCases,
  ...freeotpCases,
  ...authyCases,
  ...battleNetCases,
  ...googleAuthenticatorDbCases,
  ...microsoftAuthenticatorCases,
  ...stratumDbCases,
  ...authenticatorPlusCases,
  ...andOtpCases,
  ...winAuthCases,
  ...googleMigrationCases,
  ...totpAuthenticatorCases,
];
