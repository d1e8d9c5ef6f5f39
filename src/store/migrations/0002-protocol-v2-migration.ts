import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from '../store.js';

/** Protocol v2: a token hash and a change counter per user, and the items with their tombstones. */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema.alterTable('users').addColumn('v2_token_hash', bytes).execute();
  await db.schema
    .alterTable('users')
    .addColumn('v2_seq', 'bigint', (column) => column.notNull().defaultTo(sql`0`))
    .execute();
  await db.schema
    .createTable('v2_items')
    .addColumn('user_id', 'integer', (column) => column.notNull().references('users.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (column) => column.notNull())
    .addColumn('rev', 'integer', (column) => column.notNull())
    .addColumn('seq', 'bigint', (column) => column.notNull())
    .addColumn('envelope', 'text')
    .addColumn('deleted', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('v2_items_pk', ['user_id', 'item_id'])
    .execute();
  // Serves `since` paging: the user's changes in sequence order.
  await db.schema.createIndex('v2_items_user_seq').on('v2_items').columns(['user_id', 'seq']).execute();
}
