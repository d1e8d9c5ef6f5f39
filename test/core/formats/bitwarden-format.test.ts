import { describe, expect, it } from 'vitest';
import { bitwardenCsvFormat } from '../../../src/core/formats/bitwarden-csv-format.js';
import { bitwardenFormat } from '../../../src/core/formats/bitwarden-format.js';
import { importFile, itemsOf, like, okEntries, problems } from './format-test-helpers.js';
import {
  CSV,
  CSV_EXPECTED,
  CSV_HEADER,
  PLAIN,
  EXPECTED,
  login,
  type Kdf,
  passwordProtected,
} from './cases/bitwarden-case.js';

// Bitwarden's exports (bitwarden.com/help/export-your-data, /encrypted-export): JSON `{ encrypted,
// folders, items }` with `login.totp`; CSV with a header row; the password-protected JSON names its
// KDF (0 PBKDF2-SHA256, 1 Argon2id over SHA-256(salt)), stretched by HKDF-Expand into "enc" and
// "mac" keys; `data` is an EncString "2.iv|ciphertext|mac" (AES-256-CBC, HMAC-SHA256(iv‖ct)).

describe('Bitwarden JSON export', () => {
  it('reads every TOTP login with its note, folder and favourite, and skips other items', async () => {
    expect(okEntries(itemsOf(await importFile(bitwardenFormat, JSON.stringify(PLAIN)), 'bitwarden'))).toEqual(EXPECTED);
  });

  it('names a bad login by its item number and name', async () => {
    const file = { ...PLAIN, items: [login('Shop', 'eve', 'otpauth://totp/x?secret=AAAA&digits=12')] };
    expect(problems(itemsOf(await importFile(bitwardenFormat, JSON.stringify(file)), 'bitwarden'))).toEqual([
      ['item 1 "Shop"', 'digits must be 6 to 8'],
    ]);
  });

  it('refuses an account-restricted export with what to do', async () => {
    const file = JSON.stringify({ encrypted: true, encKeyValidation_DO_NOT_EDIT: '2.a|b|c', items: [] });
    expect(await importFile(bitwardenFormat, file)).toEqual({
      kind: 'unsupported',
      format: 'bitwarden',
      message: like(/account restricted.*export again as "password protected" or unencrypted/),
    });
  });
});

describe('Bitwarden password-protected JSON export', () => {
  it.each<[string, Kdf]>([
    ['PBKDF2-SHA256', { kdfType: 0, kdfIterations: 5000 }],
    ['Argon2id', { kdfType: 1, kdfIterations: 3, kdfMemory: 16, kdfParallelism: 4 }],
  ])('reads an export under %s and tells a wrong password', async (_kdf, kdf) => {
    const file = passwordProtected(PLAIN, 'export pw', kdf);
    expect(await importFile(bitwardenFormat, file)).toEqual({ kind: 'password-needed', format: 'bitwarden' });
    expect(okEntries(itemsOf(await importFile(bitwardenFormat, file, { password: 'export pw' }), 'bitwarden'))).toEqual(
      EXPECTED,
    );
    expect(await importFile(bitwardenFormat, file, { password: 'other' })).toEqual({
      kind: 'wrong-password',
      format: 'bitwarden',
    });
  });

  it('tells a damaged data field from a wrong password', async () => {
    const file = JSON.parse(passwordProtected(PLAIN, 'pw', { kdfType: 0, kdfIterations: 1000 })) as Record<
      string,
      string
    >;
    const [iv, cipher, mac] = (file.data ?? '').slice(2).split('|');
    const changed = {
      ...file,
      data: `2.${iv ?? ''}|${Buffer.from('0'.repeat(32)).toString('base64')}${cipher?.slice(44) ?? ''}|${mac ?? ''}`,
    };
    expect(await importFile(bitwardenFormat, JSON.stringify(changed), { password: 'pw' })).toEqual({
      kind: 'unsupported',
      format: 'bitwarden',
      message: like(/damaged.*does not match its MAC/),
    });
  });

  it.each([
    ['an unknown KDF', { kdfType: 7 }, /unknown kdfType 7/],
    ['absurd Argon2id memory', { kdfType: 1, kdfIterations: 3, kdfMemory: 1 << 20, kdfParallelism: 4 }, /out of range/],
    ['too many PBKDF2 iterations', { kdfType: 0, kdfIterations: 1e9 }, /too many/],
  ])('refuses %s before deriving a key', async (_why, kdf, message) => {
    const file = {
      ...(JSON.parse(passwordProtected(PLAIN, 'pw', { kdfType: 0, kdfIterations: 1000 })) as object),
      ...kdf,
    };
    expect(await importFile(bitwardenFormat, JSON.stringify(file), { password: 'pw' })).toEqual({
      kind: 'unsupported',
      format: 'bitwarden',
      message: like(message),
    });
  });
});

describe('Bitwarden CSV export', () => {
  const header = CSV_HEADER;

  it('reads every TOTP row, with quoted fields, notes across lines, folder and favourite', async () => {
    const items = itemsOf(await importFile(bitwardenCsvFormat, CSV), 'bitwarden-csv');
    expect(okEntries(items)).toEqual(CSV_EXPECTED);
    expect(items.map((item) => item.label)).toEqual(['row 2 "GitHub"', 'row 3 "Bank, Inc."', 'row 5 "Steam"']);
  });

  it('names a bad row and refuses an unclosed quote as damaged', async () => {
    const bad = `${header}\n,,login,Shop,,,0,,eve,pw,not-base32!`;
    expect(problems(itemsOf(await importFile(bitwardenCsvFormat, bad), 'bitwarden-csv'))).toEqual([
      ['row 2 "Shop"', 'the secret is not base32'],
    ]);
    expect(await importFile(bitwardenCsvFormat, `${header}\n,,login,"Shop`)).toMatchObject({
      kind: 'unsupported',
      message: like(/not closed/),
    });
  });
});
