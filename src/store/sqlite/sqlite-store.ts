import { chmodSync, existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database-schema.js';
import { KyselyStore } from '../kysely-store.js';
import { openSqliteDatabase, openSqliteReader, withStatementCache } from './sqlite-connection.js';
import { SqliteReader } from './sqlite-reader.js';
import { SqliteWriteThread } from './sqlite-write-thread.js';

/** The store over a SQLite file (or `:memory:`), not yet migrated. */
export function openSqliteStore(path: string): KyselyStore {
  const writer = openSqliteDatabase(path);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(writer) }) });
  // A file database also gets a read-only connection for the hot read path, and a thread of its own
  // for writes, so a commit's fsync does not stop the event loop. An in-memory database cannot be
  // shared between connections (and has no fsync to wait for): it reads and writes through Kysely.
  // The thread starts with the first write: a server that only reads, or has not written yet, has none.
  if (path === ':memory:') return new KyselyStore(db, 'sqlite');
  return new KyselyStore(db, 'sqlite', {
    openReader: (queries) => new SqliteReader(openSqliteReader(path), queries),
    startWriteThread: () => Promise.resolve(SqliteWriteThread.startOnFirstWrite(path)),
  });
}

/**
 * Writes a consistent copy of the SQLite file at `path` to `destination` with SQLite's online backup
 * API, while other processes (a running server) keep reading and writing it.
 */
export async function backupSqliteFile(path: string, destination: string): Promise<void> {
  if (!existsSync(path)) throw new RangeError(`no database at ${path}`);
  const database = new SqliteDatabase(path, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 5000');
    await database.backup(destination);
  } finally {
    database.close();
  }
  chmodSync(destination, 0o600);
}
