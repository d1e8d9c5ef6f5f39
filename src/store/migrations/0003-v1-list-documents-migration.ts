import type { Kysely } from 'kysely';
import type { StoreDialect } from '../store.js';
import { v1ListBody } from '../v1-list-document.js';

/** Users read per backfill batch: bounded memory on a database of any size. */
const BATCH_USERS = 500;

interface Tables {
  users: { id: number };
  v1_totps: { id: number; user_id: number; enc_secret: string; name: string | null };
  v1_lists: { user_id: number; body: Uint8Array };
}

/**
 * The v1 list of each user as one stored document, the exact body of the v1 pull, so a pull reads one
 * row instead of one per entry and sends it as stored (bench/profile-notes.md). `v1_totps` stays the source of truth; every v1 write rewrites the
 * document in the same transaction. Existing lists are backfilled here, in batches of users.
 *
 * Rerunnable: SQLite migrations are not transactional in Kysely, so a backfill cut short (a crash, a
 * full disk) leaves the table without the migration recorded; the next start begins again from empty.
 */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('v1_lists')
    .ifNotExists()
    .addColumn('user_id', 'integer', (column) => column.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('body', dialect === 'postgres' ? 'bytea' : 'blob', (column) => column.notNull())
    .execute();

  const tables = db as unknown as Kysely<Tables>;
  await tables.deleteFrom('v1_lists').execute();
  let after = 0;
  for (;;) {
    const users = await tables
      .selectFrom('users')
      .select('id')
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH_USERS)
      .execute();
    const last = users.at(-1);
    if (last === undefined) return;
    const rows = await tables
      .selectFrom('v1_totps')
      .select(['user_id', 'enc_secret', 'name'])
      .where('user_id', '>', after)
      .where('user_id', '<=', last.id)
      .orderBy('user_id')
      .orderBy('id')
      .execute();
    const lists = new Map<number, { encSecret: string; name: string | null }[]>();
    for (const row of rows) {
      let list = lists.get(row.user_id);
      if (list === undefined) lists.set(row.user_id, (list = []));
      list.push({ encSecret: row.enc_secret, name: row.name });
    }
    const documents = [...lists].map(([userId, entries]) => ({ user_id: userId, body: v1ListBody(entries) }));
    for (let start = 0; start < documents.length; start += 200) {
      await tables
        .insertInto('v1_lists')
        .values(documents.slice(start, start + 200))
        .execute();
    }
    after = last.id;
  }
}
