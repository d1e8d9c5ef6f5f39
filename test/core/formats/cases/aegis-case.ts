import { makeEntry } from '../../../../src/core/entry/model.js';
import { encryptedVault } from '../encrypted-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C, aegisEntry } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

export const GROUPS = [
  { uuid: '11111111-1111-4111-8111-111111111111', name: 'Work' },
  { uuid: '22222222-2222-4222-8222-222222222222', name: 'Money' },
];

export const CONTENT = {
  version: 3,
  entries: [
    {
      ...aegisEntry(
        'totp',
        'GitHub',
        'alice',
        { secret: SECRET_A, algo: 'SHA1', digits: 6, period: 30 },
        'recovery in safe',
      ),
      favorite: true,
      groups: [GROUPS[0]?.uuid],
    },
    {
      ...aegisEntry('totp', 'Bank', 'bob', { secret: SECRET_B, algo: 'SHA256', digits: 8, period: 60 }),
      groups: [GROUPS[0]?.uuid, GROUPS[1]?.uuid],
    },
    aegisEntry('hotp', 'Counter', '', { secret: SECRET_C, algo: 'SHA512', digits: 7, counter: 5 }),
    aegisEntry('steam', 'Steam', 'gamer', { secret: SECRET_A, algo: 'SHA1', digits: 5, period: 30 }),
  ],
  groups: GROUPS,
};

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', {
    issuer: 'GitHub',
    account: 'alice',
    note: 'recovery in safe',
    groups: ['Work'],
    favorite: true,
  }),
  makeEntry(SECRET_B, 'Bank:bob', {
    issuer: 'Bank',
    account: 'bob',
    algorithm: 'SHA256',
    digits: 8,
    period: 60,
    groups: ['Work', 'Money'],
  }),
  makeEntry(SECRET_C, 'Counter', { issuer: 'Counter', type: 'hotp', algorithm: 'SHA512', digits: 7, counter: 5 }),
  makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
];

const PASSWORD = 'aegis export pässword';

/** Aegis's vault, plain and encrypted (a low scrypt cost: the layout is the same, the test is fast). */
export const aegisCases: readonly FormatCase[] = [
  {
    format: 'aegis',
    variant: 'plain',
    fileName: 'aegis-export-plain.json',
    file: () => Promise.resolve(JSON.stringify({ version: 1, header: { slots: null, params: null }, db: CONTENT })),
    expected: EXPECTED,
  },
  {
    format: 'aegis',
    variant: 'encrypted (scrypt, AES-GCM)',
    fileName: 'aegis-export.json',
    password: PASSWORD,
    file: () => Promise.resolve(encryptedVault(CONTENT, [PASSWORD], 2 ** 10)),
    expected: EXPECTED,
  },
];
