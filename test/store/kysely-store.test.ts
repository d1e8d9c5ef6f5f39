import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { dialectOf, freshDatabaseEachTest, testDialects } from '../helpers/databases.js';
import { expectAcknowledgedWritesRead } from './store-scenarios.js';

const DIALECTS = await testDialects();

// One suite, every database (kysely's habit): SQLite always, PostgreSQL whenever reachable.
for (const dialect of DIALECTS) {
  describe(`KyselyStore on ${dialect}`, () => {
    let store: Store;
    freshDatabaseEachTest(dialect, (database) => {
      store = database.store;
    });

    it('reports its dialect and answers ping once migrated', async () => {
      expect(store.dialect).toBe(dialectOf(dialect));
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('reads every write acknowledged before the read began', async () => {
      await expectAcknowledgedWritesRead(store, dialect === 'sqlite');
    });
  });
}
