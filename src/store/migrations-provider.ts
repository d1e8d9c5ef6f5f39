import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as initial from './migrations/0001-initial-migration.js';
import * as protocolV2 from './migrations/0002-protocol-v2-migration.js';
import * as v1ListDocuments from './migrations/0003-v1-list-documents-migration.js';
import * as v2Accounts from './migrations/0004-v2-accounts-migration.js';
import type { StoreDialect } from './store.js';

type DialectMigration = (db: Kysely<unknown>, dialect: StoreDialect) => Promise<void>;

/** Every migration, in order. Names sort lexically; never rename or edit one that has shipped. */
const MIGRATIONS: readonly (readonly [string, DialectMigration])[] = [
  ['0001-initial', initial.up],
  ['0002-protocol-v2', protocolV2.up],
  ['0003-v1-list-documents', v1ListDocuments.up],
  ['0004-v2-accounts', v2Accounts.up],
];

/** The migrations as Kysely wants them, bound to a dialect (column types differ). */
export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return {
    getMigrations(): Promise<Record<string, Migration>> {
      const migrations: Record<string, Migration> = {};
      for (const [name, up] of MIGRATIONS) {
        migrations[name] = { up: (db) => up(db, dialect) };
      }
      return Promise.resolve(migrations);
    },
  };
}

export const LATEST_MIGRATION = MIGRATIONS[MIGRATIONS.length - 1]?.[0] ?? '';
