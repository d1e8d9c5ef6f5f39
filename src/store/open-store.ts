import { chmodSync, existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database-schema.js';
import { parseDatabaseUrl } from './database-url.js';
import { KyselyStore } from './kysely-store.js';
import { openSqliteDatabase, openSqliteReader, withStatementCache } from './sqlite-connection.js';
import { SqliteWriteThread } from './sqlite-write-thread.js';

export interface StoreOptions {
  /** `sqlite:PATH` (relative to the working directory), `sqlite::memory:`, or `postgres://…`. */
  readonly databaseUrl: string;
  /** PostgreSQL only: connections in the pool. */
  readonly poolSize?: number;
  /** PostgreSQL only: a statement running longer than this is cancelled. */
  readonly statementTimeoutMs?: number;
  /** PostgreSQL only: schema to use (tests give each run a fresh one). */
  readonly schema?: string;
}

/** Opens the database, applies pending migrations and returns the store. */
export async function openStore(options: StoreOptions): Promise<KyselyStore> {
  const location = parseDatabaseUrl(options.databaseUrl);
  const store = location.kind === 'sqlite' ? openSqliteStore(location.path) : openPostgres(location.url, options);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSqliteStore(path: string): KyselyStore {
  const writer = openSqliteDatabase(path);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(writer) }) });
  // A file database also gets a read-only connection for the hot read path, and a thread of its own
  // for writes, so a commit's fsync does not stop the event loop. An in-memory database cannot be
  // shared between connections (and has no fsync to wait for): it reads and writes through Kysely.
  if (path === ':memory:') return new KyselyStore(db, 'sqlite');
  return new KyselyStore(db, 'sqlite', {
    openReader: () => openSqliteReader(path),
    startWriteThread: () => SqliteWriteThread.start(path),
  });
}

function openPostgres(url: string, options: StoreOptions): KyselyStore {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
    throw new RangeError(`not a plain schema name: ${options.schema}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // A client losing its connection (database restart, pg_terminate_backend) emits 'error'; unheard,
  // that would crash the process. Idle clients are dropped by the pool; a checked-out client's query
  // fails (the edge answers 503) and the pool replaces it. Either way the next query reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return new KyselyStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
}

/**
 * Writes a consistent copy of a SQLite database to `destination` with SQLite's online backup API,
 * while other processes (a running server) keep reading and writing it.
 */
export async function backupSqlite(databaseUrl: string, destination: string): Promise<void> {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.kind !== 'sqlite' || location.path === ':memory:') {
    throw new RangeError('backup copies SQLite files only; for PostgreSQL use pg_dump');
  }
  if (!existsSync(location.path)) throw new RangeError(`no database at ${location.path}`);
  const database = new SqliteDatabase(location.path, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 5000');
    await database.backup(destination);
  } finally {
    database.close();
  }
  chmodSync(destination, 0o600);
}
