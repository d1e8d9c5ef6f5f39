import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../database-schema.js';
import { KyselyStore } from '../kysely-store.js';
import { PostgresReader } from './postgres-reader.js';
import { openPostgresPool, type PostgresConnectionOptions } from './postgres-connection.js';

/**
 * The store over PostgreSQL, not yet migrated: several stateless servers can share it. Reads and writes
 * go through Kysely on the pool, but for the hot reads (postgres-reader.ts); row locks (`FOR UPDATE`)
 * order concurrent writes of one account.
 */
export function openPostgresStore(url: string, options: PostgresConnectionOptions): KyselyStore {
  const pool = openPostgresPool(url, options);
  return new KyselyStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres', {
    openReader: (queries) => new PostgresReader(pool, queries),
  });
}
