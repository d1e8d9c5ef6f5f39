import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { gcmSeal, pbkdf2, randomBytes, sha256 } from '../test-ciphers.js';
import { type FormatCase } from './format-case.js';

export const ENTRIES = [
  {
    secret: SECRET_A,
    issuer: 'GitHub',
    label: 'alice',
    digits: 6,
    type: 'TOTP',
    algorithm: 'SHA1',
    period: 30,
    tags: ['Work', 'Dev'],
  },
  {
    secret: SECRET_B,
    issuer: 'Bank',
    label: 'bob',
    digits: 8,
    type: 'TOTP',
    algorithm: 'SHA256',
    period: 60,
    tags: [],
  },
  {
    secret: SECRET_C,
    issuer: 'Counter',
    label: 'c',
    digits: 7,
    type: 'HOTP',
    algorithm: 'SHA512',
    counter: 3,
    tags: ['Old'],
  },
  {
    secret: SECRET_A,
    issuer: 'Steam',
    label: 'gamer',
    digits: 5,
    type: 'STEAM',
    algorithm: 'SHA1',
    period: 30,
    tags: [],
  },
  { secret: SECRET_B, label: 'Forum - dave', digits: 6, type: 'TOTP', algorithm: 'SHA1', period: 30 },
].map((entry) => ({ thumbnail: 'Default', last_used: 0, used_frequency: 0, ...entry }));

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice', groups: ['Work', 'Dev'] }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter:c', {
    issuer: 'Counter',
    account: 'c',
    type: 'hotp',
    algorithm: 'SHA512',
    digits: 7,
    counter: 3,
    groups: ['Old'],
  }),
  makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
  makeEntry(SECRET_B, 'Forum:dave', { issuer: 'Forum', account: 'dave' }),
];

export function newFormat(plain: string, password: string, iterations = 140_000): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(iterations);
  const salt = randomBytes(12);
  const nonce = randomBytes(12);
  const { cipher, tag } = gcmSeal(pbkdf2('sha1', password, salt, iterations), nonce, Buffer.from(plain));
  return Buffer.concat([count, salt, nonce, cipher, tag]);
}

export function oldFormat(plain: string, password: string): Buffer {
  const nonce = randomBytes(12);
  const { cipher, tag } = gcmSeal(sha256(Buffer.from(password, 'utf8')), nonce, Buffer.from(plain));
  return Buffer.concat([nonce, cipher, tag]);
}

const PASSWORD = 'andotp pw';

export const andOtpCases: readonly FormatCase[] = [
  {
    format: 'andotp',
    variant: 'plain',
    fileName: 'otp_accounts.json',
    file: () => Promise.resolve(JSON.stringify(ENTRIES)),
    expected: EXPECTED,
  },
  {
    format: 'andotp',
    variant: 'encrypted, new layout (PBKDF2, AES-GCM)',
    fileName: 'otp_accounts_2024-01-01.json.aes',
    password: PASSWORD,
    file: () => Promise.resolve(newFormat(JSON.stringify(ENTRIES), PASSWORD)),
    expected: EXPECTED,
  },
  {
    format: 'andotp',
    variant: 'encrypted, old layout (SHA-256 key, AES-GCM)',
    fileName: 'otp_accounts.json.aes',
    password: PASSWORD,
    file: () => Promise.resolve(oldFormat(JSON.stringify(ENTRIES), PASSWORD)),
    expected: EXPECTED,
  },
];
