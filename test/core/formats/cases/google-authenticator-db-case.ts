import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { sqliteFile } from '../sqlite-fixtures.js';
import { type FormatCase } from './format-case.js';

export const SCHEMA =
  'CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL, original_name TEXT DEFAULT NULL, isencrypted INTEGER DEFAULT 0)';
export const INSERT =
  'INSERT INTO accounts (email, secret, counter, type, issuer, original_name, isencrypted) VALUES (?, ?, ?, ?, ?, ?, ?)';

export const ROWS = [
  ['alice@example.com', SECRET_A.toLowerCase(), 0, 0, 'GitHub', 'GitHub:alice@example.com', 0],
  ['Bank:bob', SECRET_B, 0, 0, null, 'Bank:bob', 0],
  ['carol', SECRET_C, 17, 1, '', 'carol', 0],
];

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice@example.com', { issuer: 'GitHub', account: 'alice@example.com' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob' }),
  makeEntry(SECRET_C, 'carol', { type: 'hotp', counter: 17 }),
];

export function database(rows: readonly (readonly unknown[])[]): Promise<Uint8Array> {
  return sqliteFile([SCHEMA, ...rows.map(() => INSERT)], [[], ...rows]);
}

export const googleAuthenticatorDbCases: readonly FormatCase[] = [
  {
    format: 'google-authenticator-db',
    variant: 'internal SQLite database',
    fileName: 'databases',
    file: () => database(ROWS),
    expected: EXPECTED,
  },
];
