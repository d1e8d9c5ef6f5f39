import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from '../store.js';
import { withV2ItemColumns } from './v2-item-columns.js';

/**
 * Protocol v2 revision 2 (docs/protocol.md §3): v2 accounts keyed by `SHA-256(T_auth)` instead of by
 * the Open2FA ID, so that knowing an ID gives nothing on v2. Every user with a bound token becomes an
 * account under that hash with its items, tombstones and change counter unchanged: existing clients
 * send the same token and keep syncing. The v2 columns of `users` go.
 *
 * A token bound to several IDs can only come from someone binding other people's IDs to their own
 * token (the attack revision 2 closes; one Secret derives one ID). That token's account keeps the user
 * with the most changes (the highest counter, then the oldest row); the other users' v2 rows were
 * written by that same token holder under IDs that are not theirs, and are dropped.
 *
 * One transaction on both databases (Kysely runs PostgreSQL migrations in one; SQLite's DDL is
 * transactional too, but Kysely does not wrap it): a migration cut short leaves 0003's tables as they were.
 */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  if (dialect === 'sqlite') await db.transaction().execute((trx) => steps(trx, dialect));
  else await steps(db, dialect);
}

/** The users whose v2 rows a token's account keeps: one per bound token (see above). */
const KEPT_USER = sql`u.v2_token_hash IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM users other WHERE other.v2_token_hash = u.v2_token_hash
    AND (other.v2_seq > u.v2_seq OR (other.v2_seq = u.v2_seq AND other.id < u.id)))`;

async function steps(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema
    .createTable('v2_accounts')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (column) => column.primaryKey())
    .addColumn('token_hash', bytes, (column) => column.notNull().unique())
    .addColumn('seq', 'bigint', (column) => column.notNull().defaultTo(sql`0`))
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .execute();
  await sql`INSERT INTO v2_accounts (token_hash, seq, created_at)
    SELECT u.v2_token_hash, u.v2_seq, u.created_at FROM users u WHERE ${KEPT_USER} ORDER BY u.id`.execute(db);

  // PostgreSQL keeps the old table's constraint and index names through the rename: new names here.
  await db.schema.alterTable('v2_items').renameTo('v2_items_0003').execute();
  await withV2ItemColumns(
    db.schema
      .createTable('v2_items')
      .addColumn('account_id', 'integer', (column) =>
        column.notNull().references('v2_accounts.id').onDelete('cascade'),
      ),
  )
    .addPrimaryKeyConstraint('v2_items_account_item_pk', ['account_id', 'item_id'])
    .execute();
  await sql`INSERT INTO v2_items (account_id, item_id, rev, seq, envelope, deleted, created_at, updated_at)
    SELECT a.id, i.item_id, i.rev, i.seq, i.envelope, i.deleted, i.created_at, i.updated_at
    FROM v2_items_0003 i
    JOIN users u ON u.id = i.user_id
    JOIN v2_accounts a ON a.token_hash = u.v2_token_hash
    WHERE ${KEPT_USER}`.execute(db);
  await db.schema.dropTable('v2_items_0003').execute();
  // Serves `since` paging (the account's changes in sequence order) and the oldest-tombstone compaction.
  await db.schema.createIndex('v2_items_account_seq').on('v2_items').columns(['account_id', 'seq']).execute();

  await db.schema.alterTable('users').dropColumn('v2_token_hash').execute();
  await db.schema.alterTable('users').dropColumn('v2_seq').execute();
}
