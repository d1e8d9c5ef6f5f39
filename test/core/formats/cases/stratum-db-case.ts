import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_C, SECRET_D } from '../format-fixtures.js';
import { sqliteFile } from '../sqlite-fixtures.js';
import { reserveOf, sqlcipherFile, V4, withReservedBytes } from '../sqlcipher-fixtures.js';
import { type FormatCase } from './format-case.js';

export const SCHEMA = [
  'CREATE TABLE "authenticator" ("type" integer, "icon" varchar, "issuer" varchar, "username" varchar, "secret" varchar primary key not null, "pin" varchar, "algorithm" integer, "digits" integer, "period" integer, "counter" integer, "copyCount" integer, "ranking" integer)',
  'CREATE TABLE "category" ("id" varchar primary key not null, "name" varchar, "ranking" integer)',
  'CREATE TABLE "authenticatorcategory" ("categoryId" varchar, "authenticatorSecret" varchar, "ranking" integer)',
];
export const INSERT =
  'INSERT INTO "authenticator" ("type", "issuer", "username", "secret", "algorithm", "digits", "period", "counter", "ranking") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';

export async function database(
  rows: readonly (readonly unknown[])[],
  extra: readonly string[] = [],
): Promise<Uint8Array> {
  return sqliteFile([...SCHEMA, ...rows.map(() => INSERT), ...extra], [[], [], [], ...rows]);
}

export const ROWS = [
  [2, 'GitHub', 'alice', SECRET_A, 0, 6, 30, 0, 0],
  [2, 'Bank', 'bob', SECRET_B, 1, 8, 60, 0, 1],
  [1, 'Counter', 'carol', SECRET_C, 2, 7, 30, 9, 2],
  [4, 'Steam', 'gamer', SECRET_D, 0, 5, 30, 0, 3],
];

export const CATEGORIES = [
  `INSERT INTO "category" VALUES ('c1', 'Work', 0), ('c2', 'Money', 1)`,
  `INSERT INTO "authenticatorcategory" VALUES ('c2', '${SECRET_B}', 1), ('c1', '${SECRET_B}', 0), ('c1', '${SECRET_A}', 0)`,
];

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice', groups: ['Work'] }),
  makeEntry(SECRET_B, 'Bank:bob', {
    issuer: 'Bank',
    account: 'bob',
    algorithm: 'SHA256',
    digits: 8,
    period: 60,
    groups: ['Work', 'Money'],
  }),
  makeEntry(SECRET_C, 'Counter:carol', {
    type: 'hotp',
    issuer: 'Counter',
    account: 'carol',
    algorithm: 'SHA512',
    digits: 7,
    counter: 9,
  }),
  makeEntry(SECRET_D, 'Steam:gamer', { type: 'steam', issuer: 'Steam', account: 'gamer' }),
];

export const DB_PASSWORD = 'stratum app pässword';

/** The database as the app keeps it with a password set: SQLCipher 4 defaults, keyed with the password. */
export async function encryptedDatabase(password = DB_PASSWORD): Promise<Uint8Array> {
  return sqlcipherFile(await withReservedBytes(await database(ROWS, CATEGORIES), reserveOf(V4)), password, V4);
}

export const stratumDbCases: readonly FormatCase[] = [
  {
    format: 'stratum-db',
    variant: 'internal SQLite database, with categories',
    fileName: 'authenticator.db3',
    file: () => database(ROWS, CATEGORIES),
    expected: EXPECTED,
  },
  {
    format: 'stratum-db',
    variant: 'internal database with an app password (SQLCipher 4)',
    fileName: 'authenticator.db3',
    password: DB_PASSWORD,
    file: () => encryptedDatabase(),
    expected: EXPECTED,
  },
];
