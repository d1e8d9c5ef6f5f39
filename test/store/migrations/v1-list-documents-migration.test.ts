import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { up as initial } from '../../../src/store/migrations/0001-initial-migration.js';
import { up as protocolV2 } from '../../../src/store/migrations/0002-protocol-v2-migration.js';
import { up as listDocuments } from '../../../src/store/migrations/0003-v1-list-documents-migration.js';
import type { Database } from '../../../src/store/database-schema.js';
import { v1ListBody } from '../../../src/store/v1-list-document.js';
import { dialectOf, testDialects } from '../../helpers/databases.js';
import { openRawDatabase } from './raw-database.js';

const DIALECTS = [...new Set((await testDialects()).map(dialectOf))];

/** Users with entries beyond one backfill batch (500 users), and one user who never stored any. */
const USERS = 1_100;

for (const dialect of DIALECTS) {
  describe(`migration 0003-v1-list-documents on ${dialect}`, () => {
    let cleanup: () => Promise<void> = () => Promise.resolve();
    afterEach(async () => {
      await cleanup();
    });

    it('backfills one document per user from the rows of a database at 0002, in insertion order', async () => {
      const db = await openRawDatabase<Database>(dialect, (close) => (cleanup = close));
      await initial(db as Kysely<unknown>, dialect);
      await protocolV2(db as Kysely<unknown>, dialect);

      const users = Array.from({ length: USERS }, (_, index) => ({
        id_hash: new Uint8Array([index >> 8, index & 0xff]),
        created_at: 0,
      }));
      for (let start = 0; start < users.length; start += 200) {
        await db
          .insertInto('users')
          .values(users.slice(start, start + 200))
          .execute();
      }
      const ids = (await db.selectFrom('users').select('id').orderBy('id').execute()).map((row) => row.id);
      const expected = new Map<number, { encSecret: string; name: string | null }[]>();
      const rows = [];
      // Inserted interleaved across users and in reverse name order, so only `id` gives the order.
      for (let round = 0; round < 3; round++) {
        for (const [index, id] of ids.entries()) {
          if (index === 7) continue; // a user with no entries gets no document
          const entry = {
            encSecret: `enc-${String(id)}-${String(round)}`,
            name: round === 1 ? null : `n"${String(9 - round)}`,
          };
          expected.set(id, [...(expected.get(id) ?? []), entry]);
          rows.push({ user_id: id, enc_secret: entry.encSecret, name: entry.name, created_at: 0, updated_at: 0 });
        }
      }
      for (let start = 0; start < rows.length; start += 200) {
        await db
          .insertInto('v1_totps')
          .values(rows.slice(start, start + 200))
          .execute();
      }

      await listDocuments(db as Kysely<unknown>, dialect);

      const documents = await db.selectFrom('v1_lists').select(['user_id', 'body']).execute();
      expect(documents).toHaveLength(USERS - 1);
      for (const document of documents) {
        expect(Buffer.from(document.body)).toEqual(v1ListBody(expected.get(document.user_id) ?? []));
      }
      expect(documents.some((document) => document.user_id === ids[7])).toBe(false);
    });

    it('runs again from the start after a backfill cut short (SQLite migrations are not transactional)', async () => {
      const db = await openRawDatabase<Database>(dialect, (close) => (cleanup = close));
      await initial(db as Kysely<unknown>, dialect);
      await protocolV2(db as Kysely<unknown>, dialect);
      await db
        .insertInto('users')
        .values({ id_hash: new Uint8Array([1]), created_at: 0 })
        .execute();
      const [user] = await db.selectFrom('users').select('id').execute();
      if (user === undefined) throw new Error('no user');
      const entry = { user_id: user.id, enc_secret: 'a', name: 'A', created_at: 0, updated_at: 0 };
      await db.insertInto('v1_totps').values(entry).execute();
      // As left by an interrupted run: the table made, a stale or partial body in it, 0003 not recorded.
      await listDocuments(db as Kysely<unknown>, dialect);
      await db
        .updateTable('v1_lists')
        .set({ body: Buffer.from('{"totps":[]}') })
        .execute();

      await listDocuments(db as Kysely<unknown>, dialect);

      const documents = await db.selectFrom('v1_lists').select(['user_id', 'body']).execute();
      expect(documents).toHaveLength(1);
      expect(Buffer.from(documents[0]?.body ?? new Uint8Array())).toEqual(v1ListBody([{ encSecret: 'a', name: 'A' }]));
    });
  });
}
