import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/open-store.js';
import { dialectOf, freshDatabaseEachTest, testDialects, type TestDatabase } from '../helpers/databases.js';
import { changesRead, expectAcknowledgedWritesRead, key, LIMITS } from './store-scenarios.js';

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
