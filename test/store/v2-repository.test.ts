import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { openTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';
import { key, listed } from './store-scenarios.js';

const DIALECTS = await testDialects();

// One suite, every database (kysely's habit): SQLite always, PostgreSQL whenever reachable.
for (const dialect of DIALECTS) {
  describe(`V2Repository on ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;

    beforeEach(async () => {
      database = await openTestDatabase(dialect);
      store = database.store;
    });
    afterEach(async () => {
      await database.dispose();
    });

    it('binds the first v2 token and refuses another', async () => {
      const token = new Uint8Array(32).fill(1);
      // A read never binds; the first write does.
      expect(await store.v2Authenticate(key('alice'), token, false)).toBe('unbound');
      expect(await listed(store, key('alice'))).toBeNull();
      expect(await store.v2Authenticate(key('alice'), token, true)).toBe('bound');
      expect(await store.v2Authenticate(key('alice'), token, true)).toBe('ok');
      expect(await store.v2Authenticate(key('alice'), token, false)).toBe('ok');
      expect(await store.v2Authenticate(key('alice'), new Uint8Array(32).fill(2), true)).toBe('mismatch');
      expect(await store.v2Authenticate(key('alice'), new Uint8Array(32).fill(2), false)).toBe('mismatch');
      // A v1 user binds on the first v2 write too, and keeps its v1 entries.
      await store.pushV1(key('bob'), [{ encSecret: 'a', name: null }], 1000);
      expect(await store.v2Authenticate(key('bob'), token, true)).toBe('bound');
      expect(await listed(store, key('bob'))).toEqual([{ encSecret: 'a', name: null }]);
    });

    it('revisions, sequence numbers, conflicts and tombstones (v2)', async () => {
      const user = key('alice');
      await store.v2Authenticate(user, new Uint8Array(32), true);
      expect(await store.v2Changes(user, 0, 10)).toEqual({ items: [], seq: 0, more: false });
      const created = await store.v2Put(user, 'item-a', 0, 'o2fa2.A', 10);
      expect(created).toEqual({
        status: 'ok',
        item: { id: 'item-a', rev: 1, seq: 1, deleted: false, envelope: 'o2fa2.A' },
        seq: 1,
      });
      expect(await store.v2Put(user, 'item-a', 0, 'o2fa2.B', 10)).toMatchObject({
        status: 'conflict',
        item: { rev: 1 },
      });
      expect(await store.v2Put(user, 'item-x', 3, 'o2fa2.B', 10)).toEqual({ status: 'not_found' });
      expect(await store.v2Put(user, 'item-a', 1, 'o2fa2.B', 10)).toMatchObject({
        status: 'ok',
        item: { rev: 2, seq: 2 },
      });
      await store.v2Put(user, 'item-b', 0, 'o2fa2.C', 10);
      expect(await store.v2Delete(user, 'item-a', 1)).toMatchObject({ status: 'conflict', item: { rev: 2 } });
      const deleted = await store.v2Delete(user, 'item-a', 2);
      expect(deleted).toEqual({
        status: 'ok',
        item: { id: 'item-a', rev: 3, seq: 4, deleted: true, envelope: null },
        seq: 4,
      });
      expect(await store.v2Delete(user, 'item-missing', 1)).toEqual({ status: 'not_found' });
      const all = await store.v2Changes(user, 0, 10);
      expect(all.seq).toBe(4);
      expect(all.items.map((item) => [item.id, item.rev, item.seq, item.deleted])).toEqual([
        ['item-b', 1, 3, false],
        ['item-a', 3, 4, true],
      ]);
      expect((await store.v2Changes(user, 3, 10)).items.map((item) => item.id)).toEqual(['item-a']);
      // A tombstone can be overwritten at its revision (an edit beating a stale delete).
      expect(await store.v2Put(user, 'item-a', 3, 'o2fa2.D', 10)).toMatchObject({
        status: 'ok',
        item: { rev: 4, deleted: false },
      });
    });

    it('pages v2 changes and counts only live items against the quota', async () => {
      const user = key('pager');
      await store.v2Authenticate(user, new Uint8Array(32), true);
      for (let index = 0; index < 5; index++) await store.v2Put(user, `item-${String(index)}`, 0, 'o2fa2.X', 5);
      expect(await store.v2Put(user, 'item-6', 0, 'o2fa2.X', 5)).toEqual({ status: 'quota_exceeded', limit: 5 });
      await store.v2Delete(user, 'item-0', 1);
      expect(await store.v2Put(user, 'item-6', 0, 'o2fa2.X', 5)).toMatchObject({ status: 'ok' });
      const first = await store.v2Changes(user, 0, 3);
      expect(first.items).toHaveLength(3);
      expect(first.more).toBe(true);
      const rest = await store.v2Changes(user, first.items[2]?.seq ?? 0, 3);
      expect(rest.items.map((item) => item.seq)).toEqual([5, 6, 7]);
      expect(rest.more).toBe(false);
    });

    it('never gives two concurrent v2 writes the same revision or sequence', async () => {
      const user = key('racer');
      await store.v2Authenticate(user, new Uint8Array(32), true);
      await store.v2Put(user, 'item-shared', 0, 'o2fa2.0', 100);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, writer) => store.v2Put(user, 'item-shared', 1, `o2fa2.${String(writer)}`, 100)),
      );
      expect(results.filter((result) => result.status === 'ok')).toHaveLength(1);
      expect(results.filter((result) => result.status === 'conflict')).toHaveLength(7);
      const creates = await Promise.all(
        Array.from({ length: 8 }, (_, writer) => store.v2Put(user, `item-${String(writer)}`, 0, 'o2fa2.x', 100)),
      );
      const seqs = creates.map((result) => (result.status === 'ok' ? result.seq : -1));
      expect(new Set(seqs).size).toBe(8);
    });
  });
}
