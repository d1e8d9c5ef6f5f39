import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { StoreDialect } from '../../../src/store/store.js';
import { createTestSchema, dropTestSchema, TEST_POSTGRES_URL } from '../../helpers/databases.js';

/**
 * An empty database of `dialect` with no migration applied, typed as the tables a migration test
 * expects: SQLite in memory, or a new PostgreSQL schema. `onClose` receives what closes it (and drops
 * the schema). `foreignKeys` turns SQLite's foreign key checks on, as the store does.
 */
export async function openRawDatabase<Tables>(
  dialect: StoreDialect,
  onClose: (close: () => Promise<void>) => void,
  { foreignKeys = false }: { readonly foreignKeys?: boolean } = {},
): Promise<Kysely<Tables>> {
  if (dialect === 'sqlite') {
    const database = new SqliteDatabase(':memory:');
    if (foreignKeys) database.pragma('foreign_keys = ON');
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database }) });
    onClose(() => db.destroy());
    return db;
  }
  const schema = await createTestSchema();
  const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  onClose(async () => {
    await db.destroy();
    await dropTestSchema(schema);
  });
  return db;
}
