import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { up as initial } from '../../../src/store/migrations/0001-initial-migration.js';
import { up as protocolV2 } from '../../../src/store/migrations/0002-protocol-v2-migration.js';
import { up as listDocuments } from '../../../src/store/migrations/0003-v1-list-documents-migration.js';
import { up as v2Accounts } from '../../../src/store/migrations/0004-v2-accounts-migration.js';
import { dialectOf, testDialects } from '../../helpers/databases.js';
import { openRawDatabase } from './raw-database.js';

const DIALECTS = [...new Set((await testDialects()).map(dialectOf))];

/** The tables as migration 0003 left them (the v2 columns on `users`, items keyed by user). */
interface Tables0003 {
  users: { id?: number; id_hash: Uint8Array; created_at: number; v2_token_hash: Uint8Array | null; v2_seq: number };
  v1_totps: { user_id: number; enc_secret: string; name: string | null; created_at: number; updated_at: number };
  v2_items: {
    user_id: number;
    item_id: string;
    rev: number;
    seq: number;
    envelope: string | null;
    deleted: number;
    created_at: number;
    updated_at: number;
  };
}

/** The tables 0004 makes. */
interface Tables0004 {
  v2_accounts: { id: number; token_hash: Uint8Array; seq: number | string; created_at: number | string };
  v2_items: {
    account_id: number;
    item_id: string;
    rev: number;
    seq: number | string;
    envelope: string | null;
    deleted: number;
  };
}

const hash = (text: string): Buffer => createHash('sha256').update(text).digest();

for (const dialect of DIALECTS) {
  describe(`migration 0004-v2-accounts on ${dialect}`, () => {
    let cleanup: () => Promise<void> = () => Promise.resolve();
    afterEach(async () => {
      await cleanup();
    });

    it('turns every bound user into an account keyed by its token hash, keeping items, tombstones and seq', async () => {
      const db = await openRawDatabase<Tables0003>(dialect, (close) => (cleanup = close), { foreignKeys: true });
      for (const up of [initial, protocolV2, listDocuments]) await up(db as Kysely<unknown>, dialect);
      const user = async (name: string, token: string | null, seq: number): Promise<number> => {
        const row = await db
          .insertInto('users')
          .values({
            id_hash: hash(name),
            created_at: 5,
            v2_token_hash: token === null ? null : hash(token),
            v2_seq: seq,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return row.id ?? 0;
      };
      const item = (userId: number, itemId: string, seq: number, deleted: boolean) => ({
        user_id: userId,
        item_id: itemId,
        rev: deleted ? 2 : 1,
        seq,
        envelope: deleted ? null : `o2fa2.${itemId}`,
        deleted: deleted ? 1 : 0,
        created_at: 1,
        updated_at: 2,
      });
      const alice = await user('alice', 'alice-token', 3);
      const bob = await user('bob', 'bob-token', 1);
      const v1Only = await user('carol', null, 0);
      // Someone who bound other IDs to their own token: the account keeps the user with the most changes.
      const squatted = await user('victim', 'mallory-token', 1);
      const mallory = await user('mallory', 'mallory-token', 2);
      await db
        .insertInto('v1_totps')
        .values({ user_id: v1Only, enc_secret: 'e', name: 'n', created_at: 0, updated_at: 0 })
        .execute();
      await db
        .insertInto('v2_items')
        .values([
          item(alice, 'item-a1', 1, false),
          item(alice, 'item-a2', 3, true),
          item(bob, 'item-b1', 1, false),
          item(squatted, 'item-s1', 1, false),
          item(mallory, 'item-m1', 2, false),
        ])
        .execute();

      await v2Accounts(db as Kysely<unknown>, dialect);

      const after = db as unknown as Kysely<Tables0004>;
      const accounts = await after.selectFrom('v2_accounts').selectAll().orderBy('id').execute();
      expect(
        accounts.map((account) => [Buffer.from(account.token_hash).equals(hash('alice-token')), Number(account.seq)]),
      ).toEqual([
        [true, 3],
        [false, 1],
        [false, 2],
      ]);
      const byToken = async (token: string) => {
        const account = accounts.find((row) => Buffer.from(row.token_hash).equals(hash(token)));
        if (account === undefined) return null;
        const rows = await after
          .selectFrom('v2_items')
          .selectAll()
          .where('account_id', '=', account.id)
          .orderBy('seq')
          .execute();
        return rows.map((row) => [row.item_id, row.rev, Number(row.seq), row.deleted, row.envelope]);
      };
      expect(await byToken('alice-token')).toEqual([
        ['item-a1', 1, 1, 0, 'o2fa2.item-a1'],
        ['item-a2', 2, 3, 1, null],
      ]);
      expect(await byToken('bob-token')).toEqual([['item-b1', 1, 1, 0, 'o2fa2.item-b1']]);
      expect(await byToken('mallory-token')).toEqual([['item-m1', 1, 2, 0, 'o2fa2.item-m1']]);
      // v1 is untouched; the v2 columns of users are gone.
      expect(await db.selectFrom('v1_totps').select('enc_secret').execute()).toEqual([{ enc_secret: 'e' }]);
      const userColumns = await sql<{ id: number }>`SELECT * FROM users`.execute(db);
      expect(Object.keys(userColumns.rows[0] ?? {}).sort()).toEqual(['created_at', 'id', 'id_hash']);
      expect(await db.selectFrom('users').select('id').execute()).toHaveLength(5);
    });

    it('migrates a database without any v2 data', async () => {
      const db = await openRawDatabase<Tables0003>(dialect, (close) => (cleanup = close), { foreignKeys: true });
      for (const up of [initial, protocolV2, listDocuments, v2Accounts]) await up(db as Kysely<unknown>, dialect);
      const after = db as unknown as Kysely<Tables0004>;
      expect(await after.selectFrom('v2_accounts').selectAll().execute()).toEqual([]);
      expect(await after.selectFrom('v2_items').selectAll().execute()).toEqual([]);
    });
  });
}
