import { describe, expect, it } from 'vitest';
import { stratumFormat } from '../../../src/core/formats/stratum-format.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';
import { BACKUP, EXPECTED, current, legacy } from './cases/stratum-case.js';

// Stratum (Authenticator Pro) backups, as Aegis's importer documents them: JSON `{ Authenticators
// [{ Type 1 HOTP 2 TOTP 4 Steam, Issuer, Username, Secret, Algorithm 0-2, Digits, Period, Counter }],
// Categories [{ Id, Name }], AuthenticatorCategories [{ CategoryId, AuthenticatorSecret }] }`;
// "AUTHENTICATORPRO" salt(16) iv(12) AES-GCM under Argon2id (t 3, 64 MiB, p 4); legacy
// "AuthenticatorPro" salt(20) iv(16) AES-CBC under PBKDF2-HMAC-SHA1 (64 000 rounds).

function check(items: Parameters<typeof okEntries>[0]): void {
  expect(okEntries(items.slice(0, 4))).toEqual(EXPECTED);
  expect(problems(items)).toEqual([
    ['authenticator 5 "Old:motp"', 'unsupported type "motp" (open2fa supports totp, hotp and steam)'],
  ]);
}

describe('Stratum / Authenticator Pro backups', () => {
  it('reads the plain JSON backup, categories as groups, and names an mOTP entry it cannot take', async () => {
    check(itemsOf(await importFile(stratumFormat, JSON.stringify(BACKUP)), 'stratum'));
  });

  it.each([
    ['the encrypted backup (Argon2id, AES-GCM)', current],
    ['the legacy encrypted backup (PBKDF2, AES-CBC)', legacy],
  ])('reads %s and tells a wrong password', async (_why, make) => {
    const file = make('stratum pw');
    expect(await importFile(stratumFormat, file)).toEqual({ kind: 'password-needed', format: 'stratum' });
    check(itemsOf(await importFile(stratumFormat, file, { password: 'stratum pw' }), 'stratum'));
    expect(await importFile(stratumFormat, file, { password: 'other' })).toEqual({
      kind: 'wrong-password',
      format: 'stratum',
    });
  });
});
