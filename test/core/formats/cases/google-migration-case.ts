import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_C, base32Bytes, migrationUri } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

// Google Authenticator's transfer links (MigrationPayload, encoded by hand in format-fixtures.ts): a
// batch of two links, every algorithm and digit count the payload has, and an HOTP counter.

export const LINKS = [
  migrationUri(
    [
      { secret: base32Bytes(SECRET_A), name: 'alice', issuer: 'GitHub' },
      { secret: base32Bytes(SECRET_B), name: 'Bank:bob', issuer: 'Bank', algorithm: 2, digits: 2 },
    ],
    { size: 2, index: 0, id: 41 },
  ),
  migrationUri(
    [{ secret: base32Bytes(SECRET_C), name: 'carol', issuer: 'Counter', algorithm: 3, type: 1, counter: 12 }],
    { size: 2, index: 1, id: 41 },
  ),
].join('\n');

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8 }),
  makeEntry(SECRET_C, 'Counter:carol', {
    issuer: 'Counter',
    account: 'carol',
    type: 'hotp',
    algorithm: 'SHA512',
    counter: 12,
  }),
];

export const googleMigrationCases: readonly FormatCase[] = [
  {
    format: 'google-migration',
    variant: 'transfer links, a batch of two',
    fileName: 'transfer.txt',
    file: () => Promise.resolve(LINKS),
    expected: EXPECTED,
  },
];
