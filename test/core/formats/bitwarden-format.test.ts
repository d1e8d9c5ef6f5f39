import { argon2id } from '@noble/hashes/argon2.js';
import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { bitwardenCsvFormat } from '../../../src/core/formats/bitwarden-csv-format.js';
import { bitwardenFormat } from '../../../src/core/formats/bitwarden-format.js';
import { SECRET_A, SECRET_B, SECRET_C } from './format-fixtures.js';
import { importFile, itemsOf, like, okEntries, problems } from './format-test-helpers.js';
import { cbcSeal, hmac, pbkdf2, randomBytes, sha256 } from './test-ciphers.js';

// Bitwarden's exports (bitwarden.com/help/export-your-data, /encrypted-export): JSON `{ encrypted,
// folders, items }` with `login.totp`; CSV with a header row; the password-protected JSON names its
// KDF (0 PBKDF2-SHA256, 1 Argon2id over SHA-256(salt)), stretched by HKDF-Expand into "enc" and
// "mac" keys; `data` is an EncString "2.iv|ciphertext|mac" (AES-256-CBC, HMAC-SHA256(iv‖ct)).

const PLAIN = {
  encrypted: false,
  folders: [{ id: 'f-1', name: 'Work' }],
  items: [
    login('GitHub', 'alice', SECRET_A, { folderId: 'f-1', favorite: true, notes: 'the old account' }),
    login('Bank', 'x', `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA256&digits=8&period=60`),
    login('Forum', 'carol', null),
    login(
      'Counter',
      'c',
      `otpauth://hotp/Counter:c?secret=${SECRET_C}&issuer=Counter&counter=4&digits=7&algorithm=SHA512`,
    ),
    login('Steam', 'gamer', `steam://${SECRET_A}`),
    { id: 'n', type: 2, name: 'A note', notes: 'no login here', secureNote: { type: 0 } },
  ],
};

const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', {
    issuer: 'GitHub',
    account: 'alice',
    note: 'the old account',
    groups: ['Work'],
    favorite: true,
  }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter:c', {
    issuer: 'Counter',
    account: 'c',
    type: 'hotp',
    algorithm: 'SHA512',
    digits: 7,
    counter: 4,
  }),
  makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
];

function login(name: string, username: string, totp: string | null, extra: Record<string, unknown> = {}) {
  return {
    id: `id-${name}`,
    organizationId: null,
    folderId: null,
    type: 1,
    reprompt: 0,
    name,
    notes: null,
    favorite: false,
    login: { uris: [], username, password: 'hunter2', totp },
    collectionIds: null,
    ...extra,
  };
}

interface Kdf {
  kdfType: 0 | 1;
  kdfIterations: number;
  kdfMemory?: number;
  kdfParallelism?: number;
}

function encString(plain: string, enc: Buffer, mac: Buffer): string {
  const iv = randomBytes(16);
  const cipher = cbcSeal(enc, iv, Buffer.from(plain, 'utf8'));
  return `2.${iv.toString('base64')}|${cipher.toString('base64')}|${hmac(mac, Buffer.concat([iv, cipher])).toString('base64')}`;
}

function passwordProtected(plain: unknown, password: string, kdf: Kdf): string {
  const salt = randomBytes(16).toString('base64');
  const key =
    kdf.kdfType === 0
      ? pbkdf2('sha256', password, Buffer.from(salt, 'utf8'), kdf.kdfIterations)
      : Buffer.from(
          argon2id(Buffer.from(password, 'utf8'), sha256(Buffer.from(salt, 'utf8')), {
            t: kdf.kdfIterations,
            m: (kdf.kdfMemory ?? 0) * 1024,
            p: kdf.kdfParallelism ?? 1,
            dkLen: 32,
          }),
        );
  // HKDF-Expand only: node's hkdf extracts first, so expand by hand with one HMAC block.
  const expand = (info: string): Buffer => hmac(key, Buffer.concat([Buffer.from(info), Buffer.from([1])]));
  const [enc, mac] = [expand('enc'), expand('mac')];
  return JSON.stringify({
    encrypted: true,
    passwordProtected: true,
    salt,
    kdfType: kdf.kdfType,
    kdfIterations: kdf.kdfIterations,
    kdfMemory: kdf.kdfMemory ?? null,
    kdfParallelism: kdf.kdfParallelism ?? null,
    encKeyValidation_DO_NOT_EDIT: encString('f9c3a4d2-5a39-4e0c-9d57-1c9e0b7a4b11', enc, mac),
    data: encString(JSON.stringify(plain), enc, mac),
  });
}

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
  const header = 'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp';

  it('reads every TOTP row, with quoted fields, notes across lines, folder and favourite', async () => {
    const csv = [
      header,
      `Work,1,login,GitHub,"the old account",,0,https://github.com,alice,pw,${SECRET_A}`,
      `,,login,"Bank, Inc.","line one\r\nline ""two""",,0,,bob,pw,"otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&digits=8"`,
      ',,login,Forum,,,0,,carol,pw,',
      `,,login,Steam,,,0,,gamer,pw,steam://${SECRET_A}`,
      '',
    ].join('\r\n');
    const items = itemsOf(await importFile(bitwardenCsvFormat, csv), 'bitwarden-csv');
    expect(okEntries(items)).toEqual([
      EXPECTED[0],
      makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', digits: 8, note: 'line one\r\nline "two"' }),
      EXPECTED[3],
    ]);
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
