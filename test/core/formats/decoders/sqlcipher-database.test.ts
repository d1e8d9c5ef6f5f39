import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import {
  decryptSqlcipher,
  SQLCIPHER_3,
  SQLCIPHER_4,
} from '../../../../src/core/formats/decoders/sqlcipher-database.js';
import { sqliteFile } from '../sqlite-fixtures.js';
import { reserveOf, sqlcipherFile, V3, V4, withReservedBytes, type CipherSettings } from '../sqlcipher-fixtures.js';

// SQLCipher 3 and 4 files built by sqlcipher-fixtures.ts from the public design description, read
// back page by page: the HMAC of page 1 picks the settings, every page is checked, and the image
// opens in sql.js with the same rows.

async function plainDatabase(pageSize: number): Promise<Uint8Array> {
  // Rows of ~300 bytes: a few per page, so that a VACUUMed page keeps room for the reserved bytes.
  const rows = Array.from({ length: 40 }, (_, index) => [index, `account number ${String(index)}`, 'x'.repeat(280)]);
  return sqliteFile(
    [
      `PRAGMA page_size = ${String(pageSize)}`,
      'CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, secret TEXT)',
      ...rows.map(() => 'INSERT INTO accounts VALUES (?, ?, ?)'),
    ],
    [[], [], ...rows],
  );
}

async function rows(bytes: Uint8Array): Promise<unknown[][]> {
  const SQL = await initSqlJs();
  const database = new SQL.Database(bytes);
  try {
    expect(database.exec('PRAGMA integrity_check')[0]?.values).toEqual([['ok']]);
    return database.exec('SELECT id, name, secret FROM accounts ORDER BY id')[0]?.values ?? [];
  } finally {
    database.close();
  }
}

describe('SQLCipher databases', () => {
  it.each<[string, CipherSettings, typeof SQLCIPHER_4]>([
    ['SQLCipher 4 (4096-byte pages, SHA-512)', V4, SQLCIPHER_4],
    ['SQLCipher 3 (1024-byte pages, SHA-1)', V3, SQLCIPHER_3],
  ])('decrypts %s into the plain database, interior and leaf pages', async (_name, settings, expected) => {
    const prepared = await withReservedBytes(await plainDatabase(settings.pageSize), reserveOf(settings));
    const original = await rows(prepared);
    expect(original).toHaveLength(40);
    expect(prepared.length / settings.pageSize).toBeGreaterThan(2);
    const encrypted = sqlcipherFile(prepared, 'pässword', settings);
    expect(new TextDecoder('latin1').decode(encrypted)).not.toContain('account number');
    const opened = await decryptSqlcipher(encrypted, 'pässword');
    expect(opened).toMatchObject({ kind: 'ok', settings: expected });
    if (opened.kind !== 'ok') throw new Error('not opened');
    expect(await rows(opened.bytes)).toEqual(original);
  });

  it('tells a wrong password and refuses a file of the wrong size, before decrypting anything', async () => {
    const encrypted = sqlcipherFile(await withReservedBytes(await plainDatabase(4096), 80), 'right', V4);
    expect(await decryptSqlcipher(encrypted, 'wrong')).toEqual({ kind: 'wrong-password' });
    expect(await decryptSqlcipher(encrypted.subarray(0, 1000), 'right')).toEqual({
      kind: 'damaged',
      reason: 'its size is not a whole number of SQLCipher pages',
    });
  });

  it('names a page changed after page 1 as damaged', async () => {
    const encrypted = sqlcipherFile(await withReservedBytes(await plainDatabase(4096), 80), 'right', V4);
    encrypted[4096 + 100] = (encrypted[4096 + 100] ?? 0) ^ 1;
    expect(await decryptSqlcipher(encrypted, 'right', [SQLCIPHER_4])).toEqual({
      kind: 'damaged',
      reason: 'page 2 fails its authentication code',
    });
  });
});
