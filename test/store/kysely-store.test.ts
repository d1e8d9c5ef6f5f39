import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/open-store.js';
import { dialectOf, freshDatabaseEachTest, testDialects, type TestDatabase } from '../helpers/databases.js';
import { changesRead, expectAcknowledgedWritesRead, key, LIMITS, wireAnswer } from './store-scenarios.js';

const DIALECTS = await testDialects();

// One suite, every database (kysely's habit): SQLite always, PostgreSQL whenever reachable.
for (const dialect of DIALECTS) {
  describe(`KyselyStore on ${dialect}`, () => {
    let store: Store;
    let database: TestDatabase;
    freshDatabaseEachTest(dialect, (opened) => {
      database = opened;
      store = opened.store;
    });

    it('reports its dialect and answers ping once migrated', async () => {
      expect(store.dialect).toBe(dialectOf(dialect));
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('reads every write acknowledged before the read began', async () => {
      await expectAcknowledgedWritesRead(store, dialect === 'sqlite');
    });

    // PostgreSQL answers the reads of one event-loop turn with one statement (query-batcher.ts): each
    // must still get exactly its own answer, in batches of one, of several and over the batch limit.
    it('answers many v1 pulls and v2 syncs sent at once each exactly as when sent alone', async () => {
      const users = Array.from({ length: 6 }, (_, index) => key(`user-${String(index)}`));
      for (const [index, user] of users.entries()) {
        const entries = Array.from({ length: index }, (_, entry) => ({
          encSecret: `enc-${String(index)}-${String(entry)}`,
          name: entry % 2 === 0 ? `name ${String(entry)}` : null,
        }));
        await store.pushV1(user, entries, 100);
      }
      const accounts = Array.from({ length: 4 }, (_, index) => key(`account-${String(index)}`));
      for (const [index, account] of accounts.entries()) {
        for (let item = 0; item <= index * 2; item++) {
          await store.v2Put(account, `item-${String(item)}`, 0, `o2fa2.${String(index)}.${String(item)}`, LIMITS);
        }
        if (index > 0) await store.v2Delete(account, 'item-0', 1, `o2fa2.gone.${String(index)}`);
      }
      const unknown = key('nobody');
      const pulls = [...users, unknown, ...users.slice().reverse(), unknown];
      const syncs = [...accounts, unknown].flatMap((account) =>
        [0, 1, 3].flatMap((since) => [1, 2, 50].map((limit) => ({ account, since, limit }))),
      );
      const pull = (user: Uint8Array) => store.listV1Body(user).then((body) => body?.toString('utf8') ?? null);
      const sync = ({ account, since, limit }: (typeof syncs)[number]) => store.v2Changes(account, since, limit);
      const alone = { pulls: [] as (string | null)[], syncs: [] as unknown[] };
      for (const user of pulls) alone.pulls.push(await pull(user));
      for (const read of syncs) alone.syncs.push(await sync(read));
      expect(alone.pulls.filter((body) => body === null)).toHaveLength(2);
      expect(syncs.length).toBeGreaterThan(32);
      const together = await Promise.all([Promise.all(pulls.map(pull)), Promise.all(syncs.map(sync))]);
      expect(together).toEqual([alone.pulls, alone.syncs]);

      // The sync path proper: its answer bodies, kept and then sent again while the account's row is
      // unchanged (PostgreSQL reads that row alone first, batched too), fresh once a write moved it.
      const body = (read: (typeof syncs)[number]) =>
        store
          .v2ChangesBody(read.account, read.since, read.limit)
          .then((bytes) => (bytes === null ? null : (JSON.parse(bytes.toString('utf8')) as unknown)));
      const expected = async () => {
        const answers: unknown[] = [];
        for (const read of syncs) answers.push(wireAnswer(await sync(read)));
        return answers;
      };
      const before = await expected();
      expect(await Promise.all(syncs.map(body))).toEqual(before); // made and kept
      expect(await Promise.all(syncs.map(body))).toEqual(before); // sent again
      const moved = accounts[2] ?? unknown;
      await store.v2Put(moved, 'item-new', 0, 'o2fa2.new', LIMITS);
      const after = await expected();
      expect(after).not.toEqual(before);
      expect(await Promise.all(syncs.map(body))).toEqual(after);
    });

    // An in-memory database has no second instance to write it.
    it.skipIf(dialect === 'sqlite')(
      'never sends a kept v2 answer once another instance has written the account, even erased and made anew',
      async () => {
        const other = await openStore({
          databaseUrl: database.databaseUrl,
          ...(database.schema === undefined ? {} : { schema: database.schema }),
        });
        try {
          const account = key('shared');
          const ids = async () => (await changesRead(store, account, 0, 10))?.items.map((item) => item.id) ?? null;
          await store.v2Put(account, 'item-a', 0, 'o2fa2.A', LIMITS);
          expect(await ids()).toEqual(['item-a']);
          expect(await ids()).toEqual(['item-a']); // now from the kept answer
          await other.v2Put(account, 'item-b', 0, 'o2fa2.B', LIMITS);
          expect(await ids()).toEqual(['item-a', 'item-b']);
          await other.v2Delete(account, 'item-b', 1, 'o2fa2.T');
          expect((await changesRead(store, account, 0, 10))?.items[1]).toMatchObject({ deleted: true });
          // Erased and created again at the same change counter (SQLite may even reuse the row id).
          expect(await other.v2DeleteAccount(account)).toBe(1);
          await new Promise((resolve) => setTimeout(resolve, 5));
          for (const item of ['item-x', 'item-y', 'item-z']) await other.v2Put(account, item, 0, 'o2fa2.N', LIMITS);
          expect(await ids()).toEqual(['item-x', 'item-y', 'item-z']);
        } finally {
          await other.close();
        }
      },
    );
  });
}
