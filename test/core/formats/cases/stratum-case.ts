import { argon2id } from '@noble/hashes/argon2.js';
import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_C, SECRET_D } from '../format-fixtures.js';
import { cbcSeal, gcmSeal, pbkdf2, randomBytes } from '../test-ciphers.js';
import { type FormatCase } from './format-case.js';

export function authenticator(fields: Record<string, unknown>): Record<string, unknown> {
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

export const BACKUP = {
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

export const EXPECTED = [
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

export function current(password: string): Buffer {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = Buffer.from(argon2id(Buffer.from(password, 'utf8'), salt, { t: 3, m: 65536, p: 4, dkLen: 32 }));
  const { cipher, tag } = gcmSeal(key, iv, Buffer.from(JSON.stringify(BACKUP)));
  return Buffer.concat([Buffer.from('AUTHENTICATORPRO'), salt, iv, cipher, tag]);
}

export function legacy(password: string): Buffer {
  const salt = randomBytes(20);
  const iv = randomBytes(16);
  const cipher = cbcSeal(pbkdf2('sha1', password, salt, 64_000), iv, Buffer.from(JSON.stringify(BACKUP)));
  return Buffer.concat([Buffer.from('AuthenticatorPro'), salt, iv, cipher]);
}

const PASSWORD = 'stratum pw';
const REFUSED = ['authenticator 5 "Old:motp"'];

export const stratumCases: readonly FormatCase[] = [
  {
    format: 'stratum',
    variant: 'plain JSON backup',
    fileName: 'backup.authpro',
    file: () => Promise.resolve(JSON.stringify(BACKUP)),
    expected: EXPECTED,
    refused: REFUSED,
  },
  {
    format: 'stratum',
    variant: 'encrypted backup (Argon2id, AES-GCM)',
    fileName: 'backup-encrypted.authpro',
    password: PASSWORD,
    file: () => Promise.resolve(current(PASSWORD)),
    expected: EXPECTED,
    refused: REFUSED,
  },
  {
    format: 'stratum',
    variant: 'legacy encrypted backup (PBKDF2, AES-CBC)',
    fileName: 'backup-legacy.authpro',
    password: PASSWORD,
    file: () => Promise.resolve(legacy(PASSWORD)),
    expected: EXPECTED,
    refused: REFUSED,
  },
];
