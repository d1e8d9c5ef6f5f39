import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/** Statements kept per connection; past this the cache starts over (IN lists vary in length). */
const STATEMENT_CACHE_LIMIT = 512;

/**
 * Opens a SQLite file for the store: owner-only file mode, WAL, and `synchronous=FULL` so a commit is
 * on disk before the answer (an acknowledged write survives kill -9 and power loss; NORMAL would
 * survive only the former).
 */
export function openSqliteDatabase(path: string): SqliteDatabase.Database {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Owner-only from the start; SQLite gives the -wal and -shm files the same mode.
    closeSync(openSync(path, 'a', 0o600));
  }
  const database = new SqliteDatabase(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return database;
}

/** A second, read-only connection to the same file: it sees every committed write (WAL snapshots). */
export function openSqliteReader(path: string): SqliteDatabase.Database {
  const reader = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  return reader;
}

/**
 * The database as Kysely's SqliteDialect sees it, with `prepare` memoised by SQL text: Kysely prepares
 * every query anew, and re-preparing cost 14 % of pull CPU in the benchmark (bench/profile-notes.md).
 * Each call site produces one SQL text, so the cache stays small.
 */
export function withStatementCache(database: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver) as unknown;
      return (source: string) => {
        let statement = cache.get(source);
        if (statement === undefined) {
          if (cache.size >= STATEMENT_CACHE_LIMIT) cache.clear();
          statement = target.prepare(source);
          cache.set(source, statement);
        }
        return statement;
      };
    },
  });
}
