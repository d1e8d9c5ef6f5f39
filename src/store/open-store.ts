import { parseDatabaseUrl } from './database-url.js';
import type { KyselyStore } from './kysely-store.js';
import type { PostgresConnectionOptions } from './postgres/postgres-connection.js';

export interface StoreOptions extends PostgresConnectionOptions {
  /** `sqlite:PATH` (relative to the working directory), `sqlite::memory:`, or `postgres://…`. */
  readonly databaseUrl: string;
}

/**
 * Opens the database, applies pending migrations and returns the store. Each dialect's module (and its
 * driver) is imported only when used: `pg` alone adds about 5 MiB to a SQLite server's idle memory, and
 * loading it touches Node's `Response` global, which loads all of undici (bench/profile-notes.md).
 */
export async function openStore(options: StoreOptions): Promise<KyselyStore> {
  const location = parseDatabaseUrl(options.databaseUrl);
  const store =
    location.kind === 'sqlite'
      ? (await import('./sqlite/sqlite-store.js')).openSqliteStore(location.path)
      : (await import('./postgres/postgres-store.js')).openPostgresStore(location.url, options);
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
  const { backupSqliteFile } = await import('./sqlite/sqlite-store.js');
  await backupSqliteFile(location.path, destination);
}
