import { parseDatabaseUrl } from './database-url.js';
import type { KyselyStore } from './kysely-store.js';
import type { PostgresConnectionOptions } from './postgres/postgres-connection.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { backupSqliteFile, openSqliteStore } from './sqlite/sqlite-store.js';

export interface StoreOptions extends PostgresConnectionOptions {
  /** `sqlite:PATH` (relative to the working directory), `sqlite::memory:`, or `postgres://…`. */
  readonly databaseUrl: string;
}

/** Opens the database, applies pending migrations and returns the store. */
export async function openStore(options: StoreOptions): Promise<KyselyStore> {
  const location = parseDatabaseUrl(options.databaseUrl);
  const store = location.kind === 'sqlite' ? openSqliteStore(location.path) : openPostgresStore(location.url, options);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * Writes a consistent copy of a SQLite database to `destination` while other processes (a running
 * server) keep reading and writing it. PostgreSQL has pg_dump.
 */
export async function backupSqlite(databaseUrl: string, destination: string): Promise<void> {
  const location = parseDatabaseUrl(databaseUrl);
  if (location.kind !== 'sqlite' || location.path === ':memory:') {
    throw new RangeError('backup copies SQLite files only; for PostgreSQL use pg_dump');
  }
  await backupSqliteFile(location.path, destination);
}
