import { base64 } from '@scure/base';
import { makeEntry } from '../../../../src/core/entry/model.js';
import { base32Of } from '../android-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { sqliteFile } from '../sqlite-fixtures.js';
import { type FormatCase } from './format-case.js';

export const SCHEMA =
  'CREATE TABLE accounts (_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, username TEXT, oath_secret_key TEXT, account_type INTEGER, cid TEXT, tenant_id TEXT, ordering INTEGER)';
export const INSERT =
  'INSERT INTO accounts (name, username, oath_secret_key, account_type, ordering) VALUES (?, ?, ?, ?, ?)';

export function database(rows: readonly (readonly unknown[])[]): Promise<Uint8Array> {
  return sqliteFile([SCHEMA, ...rows.map(() => INSERT)], [[], ...rows]);
}

export const ROWS = [
  ['GitHub', 'alice', SECRET_A, 0, 1],
  ['Microsoft', 'bob@outlook.com', base64.encode(base32Of(SECRET_B)), 1, 2],
  ['Contoso', 'carol@contoso.com', null, 2, 3],
  ['Dropbox', 'carol', SECRET_C.toLowerCase(), 0, 4],
];

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Microsoft:bob@outlook.com', {
    issuer: 'Microsoft',
    account: 'bob@outlook.com',
    digits: 8,
  }),
  makeEntry(SECRET_C, 'Dropbox:carol', { issuer: 'Dropbox', account: 'carol' }),
];

export const microsoftAuthenticatorCases: readonly FormatCase[] = [
  {
    format: 'microsoft-authenticator',
    variant: 'internal SQLite database (PhoneFactor)',
    fileName: 'PhoneFactor',
    file: () => database(ROWS),
    expected: EXPECTED,
  },
];
