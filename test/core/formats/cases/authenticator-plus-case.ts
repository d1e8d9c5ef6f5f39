import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { type ZipMemberSpec, zipFile } from '../zip-fixtures.js';
import { sqliteFile } from '../sqlite-fixtures.js';
import { reserveOf, sqlcipherFile, V3, withReservedBytes } from '../sqlcipher-fixtures.js';
import { type FormatCase } from './format-case.js';

export const PASSWORD = 'export pässword';
export const ACCOUNTS = [
  `otpauth://totp/GitHub:alice?secret=${SECRET_A}&issuer=GitHub`,
  `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA256&digits=8&period=60`,
  '',
  `otpauth://hotp/Counter:carol?secret=${SECRET_C}&issuer=Counter&counter=3`,
  '',
].join('\r\n');

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter:carol', { type: 'hotp', issuer: 'Counter', account: 'carol', counter: 3 }),
];

export function exportZip(encryption: ZipMemberSpec['encryption'], extra: Partial<ZipMemberSpec> = {}): Uint8Array {
  return zipFile([
    { name: 'Accounts.txt', content: ACCOUNTS, password: PASSWORD, encryption, ...extra },
    { name: 'Accounts.html', content: '<html><body>QR codes</body></html>', password: PASSWORD, encryption },
  ]);
}

// The backup database authplus.db: SQLCipher 3 defaults keyed with the master password, holding
// Google Authenticator's accounts table (Authenticator Plus began as its fork; the public decrypt
// scripts read email, issuer and secret from it).
const INSERT = 'INSERT INTO accounts (email, secret, counter, type, issuer) VALUES (?, ?, ?, ?, ?)';
export const DATABASE_ROWS = [
  ['alice', SECRET_A, 0, 0, 'GitHub'],
  ['bob', SECRET_B, 0, 0, 'Bank'],
  ['carol', SECRET_C, 3, 1, 'Counter'],
];
export const DATABASE_EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob' }),
  makeEntry(SECRET_C, 'Counter:carol', { type: 'hotp', issuer: 'Counter', account: 'carol', counter: 3 }),
];

export async function backupDatabase(password = PASSWORD): Promise<Uint8Array> {
  const plain = await sqliteFile(
    [
      'PRAGMA page_size = 1024',
      'CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL, original_name TEXT DEFAULT NULL)',
      ...DATABASE_ROWS.map(() => INSERT),
    ],
    [[], [], ...DATABASE_ROWS],
  );
  return sqlcipherFile(await withReservedBytes(plain, reserveOf(V3)), password, V3);
}

export const authenticatorPlusCases: readonly FormatCase[] = [
  {
    format: 'authenticator-plus',
    variant: 'encrypted export ZIP (AES-256)',
    fileName: 'Authenticator-Plus-Export.zip',
    password: PASSWORD,
    file: () => Promise.resolve(exportZip('aes-256')),
    expected: EXPECTED,
  },
  {
    format: 'authenticator-plus',
    variant: 'backup database authplus.db (SQLCipher 3)',
    fileName: 'authplus.db',
    password: PASSWORD,
    file: () => backupDatabase(),
    expected: DATABASE_EXPECTED,
  },
];
