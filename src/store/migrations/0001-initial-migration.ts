import type { Kysely } from 'kysely';
import type { StoreDialect } from '../store.js';

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('users')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (column) => column.primaryKey())
    .addColumn('id_hash', bytes, (column) => column.notNull().unique())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createTable('v1_totps')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (column) => column.primaryKey())
    .addColumn('user_id', 'integer', (column) => column.notNull().references('users.id').onDelete('cascade'))
    .addColumn('enc_secret', 'text', (column) => column.notNull())
    .addColumn('name', 'text')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .addUniqueConstraint('v1_totps_user_enc_secret', ['user_id', 'enc_secret'])
    .execute();
  // Serves the per-user list in insertion order without a sort.
  await db.schema.createIndex('v1_totps_user_order').on('v1_totps').columns(['user_id', 'id']).execute();
}
