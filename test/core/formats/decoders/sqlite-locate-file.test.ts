import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSqliteTables } from '../../../../src/core/formats/decoders/sqlite-database.js';
import Database from 'better-sqlite3';

// The fixture is written by native SQLite (better-sqlite3), not sql.js, so that sql.js starts
// only in the reader, with the loader under test. The page loads sql.js's wasm from its own origin: the loader's locateFile is asked for it. This
// file runs in its own module graph (vitest isolates files), so sql.js starts here for the first time.

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

describe('sql.js loader: locateFile', () => {
  it('asks locateFile for sql-wasm.wasm and reads the tables', async () => {
    const bytes = nativeSqlite(['CREATE TABLE t (a TEXT, b INTEGER)', "INSERT INTO t VALUES ('x', 1)"]);
    const asked: string[] = [];
    const locateFile = (file: string): string => {
      asked.push(file);
      return WASM;
    };
    const tables = await readSqliteTables(bytes, ['t', 'missing'], { locateFile });
    expect(asked).toEqual(['sql-wasm.wasm']);
    expect(tables).toEqual(new Map([['t', [{ a: 'x', b: 1 }]]]));
  });
});
