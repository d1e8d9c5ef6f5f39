import { argon2id } from '@noble/hashes/argon2.js';
import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { stratumFormat } from '../../../src/core/formats/stratum-format.js';
import { SECRET_A, SECRET_B, SECRET_C, SECRET_D } from './format-fixtures.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';
import { cbcSeal, gcmSeal, pbkdf2, randomBytes } from './test-ciphers.js';

// Stratum (Authenticator Pro) backups, as Aegis's importer documents them: JSON `{ Authenticators
// [{ Type 1 HOTP 2 TOTP 4 Steam, Issuer, Username, Secret, Algorithm 0-2, Digits, Period, Counter }],
// Categories [{ Id, Name }], AuthenticatorCategories [{ CategoryId, AuthenticatorSecret }] }`;
// "AUTHENTICATORPRO" salt(16) iv(12) AES-GCM under Argon2id (t 3, 64 MiB, p 4); legacy
// "AuthenticatorPro" salt(20) iv(16) AES-CBC under PBKDF2-HMAC-SHA1 (64 000 rounds).

function authenticator(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    Icon: 'default',
    Pin: null,
    CopyCount: 0,
    Ranking: 0,
    Counter: 0,
    Period: 30,
    Digits: 6,
    Algorithm: 0,
    ...fields,
  };
}

const BACKUP = {
  Authenticators: [
    authenticator({ Type: 2, Issuer: 'GitHub', Username: 'alice', Secret: SECRET_A }),
    authenticator({ Type: 2, Issuer: 'Bank', Username: 'bob', Secret: SECRET_B, Algorithm: 2, Digits: 8, Period: 60 }),
    authenticator({
      Type: 1,
      Issuer: 'Counter',
      Username: null,
      Secret: SECRET_C,
      Algorithm: 1,
      Digits: 7,
      Counter: 8,
    }),
    authenticator({ Type: 4, Issuer: 'Steam', Username: 'gamer', Secret: SECRET_D, Digits: 5 }),
    authenticator({ Type: 3, Issuer: 'Old', Username: 'motp', Secret: SECRET_A }),
  ],
  Categories: [
    { Id: 'c1', Name: 'Work', Ranking: 0 },
    { Id: 'c2', Name: 'Money', Ranking: 1 },
  ],
  AuthenticatorCategories: [
    { CategoryId: 'c1', AuthenticatorSecret: SECRET_A, Ranking: 0 },
    { CategoryId: 'c1', AuthenticatorSecret: SECRET_B, Ranking: 0 },
    { CategoryId: 'c2', AuthenticatorSecret: SECRET_B, Ranking: 0 },
  ],
  CustomIcons: [],
  IconPacks: [],
};

const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice', groups: ['Work'] }),
  makeEntry(SECRET_B, 'Bank:bob', {
    issuer: 'Bank',
    account: 'bob',
    algorithm: 'SHA512',
    digits: 8,
    period: 60,
    groups: ['Work', 'Money'],
  }),
  makeEntry(SECRET_C, 'Counter', { issuer: 'Counter', type: 'hotp', algorithm: 'SHA256', digits: 7, counter: 8 }),
  makeEntry(SECRET_D, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
];

function check(items: Parameters<typeof okEntries>[0]): void {
  expect(okEntries(items.slice(0, 4))).toEqual(EXPECTED);
  expect(problems(items)).toEqual([
    ['authenticator 5 "Old:motp"', 'unsupported type "motp" (open2fa supports totp, hotp and steam)'],
  ]);
}

function current(password: string): Buffer {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = Buffer.from(argon2id(Buffer.from(password, 'utf8'), salt, { t: 3, m: 65536, p: 4, dkLen: 32 }));
  const { cipher, tag } = gcmSeal(key, iv, Buffer.from(JSON.stringify(BACKUP)));
  return Buffer.concat([Buffer.from('AUTHENTICATORPRO'), salt, iv, cipher, tag]);
}

function legacy(password: string): Buffer {
  const salt = randomBytes(20);
  const iv = randomBytes(16);
  const cipher = cbcSeal(pbkdf2('sha1', password, salt, 64_000), iv, Buffer.from(JSON.stringify(BACKUP)));
  return Buffer.concat([Buffer.from('AuthenticatorPro'), salt, iv, cipher]);
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
