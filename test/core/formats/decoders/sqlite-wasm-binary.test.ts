import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSqlite, readSqliteTables, sqliteMentions } from '../../../../src/core/formats/decoders/sqlite-database.js';
import Database from 'better-sqlite3';

// The fixture is written by native SQLite (better-sqlite3), not sql.js, so that sql.js starts
// only in the reader, with the loader under test. The page may instead hand over the wasm bytes it fetched itself. Its own file: sql.js keeps the
// module of its first start, so each loader is shown in a fresh module graph.

function nativeSqlite(statements: readonly string[]): Uint8Array {
  const database = new Database(':memory:');
  try {
    for (const statement of statements) database.exec(statement);
    return new Uint8Array(database.serialize());
  } finally {
    database.close();
  }
}

const WASM = join(dirname(createRequire(import.meta.url).resolve('sql.js')), 'sql-wasm.wasm');

describe('sql.js loader: wasm bytes', () => {
  it('starts from the given bytes and reads the tables; refuses what is not SQLite', async () => {
    const bytes = nativeSqlite(['CREATE TABLE "odd ""name""" (Mixed TEXT)', `INSERT INTO "odd ""name""" VALUES ('y')`]);
    const wasmBinary = new Uint8Array(readFileSync(WASM));
    expect(await readSqliteTables(bytes, ['odd "name"'], { wasmBinary })).toEqual(
      new Map([['odd "name"', [{ mixed: 'y' }]]]),
    );
    expect(await readSqliteTables(new TextEncoder().encode('SQLite format 2'), ['t'])).toBeNull();
    expect(isSqlite(bytes.slice(0, 99))).toBe(false);
    expect(sqliteMentions(bytes, ['create table', 'mixed'])).toBe(true);
    expect(sqliteMentions(bytes, ['accounts'])).toBe(false);
  });
});
