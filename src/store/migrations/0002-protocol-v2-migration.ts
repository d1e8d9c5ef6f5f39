import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from '../store.js';
import { withV2ItemColumns } from './v2-item-columns.js';

/** Protocol v2: a token hash and a change counter per user, and the items with their tombstones. */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema.alterTable('users').addColumn('v2_token_hash', bytes).execute();
  await db.schema
    .alterTable('users')
    .addColumn('v2_seq', 'bigint', (column) => column.notNull().defaultTo(sql`0`))
    .execute();
  await withV2ItemColumns(
    db.schema
      .createTable('v2_items')
      .addColumn('user_id', 'integer', (column) => column.notNull().references('users.id').onDelete('cascade')),
  )
    .addPrimaryKeyConstraint('v2_items_pk', ['user_id', 'item_id'])
    .execute();
  // Serves `since` paging: the user's changes in sequence order.
  await db.schema.createIndex('v2_items_user_seq').on('v2_items').columns(['user_id', 'seq']).execute();
}
