import { describe, expect, it } from 'vitest';
import type { AccountKey, Store, V2StorageLimits } from '../../src/store/store.js';
import { freshDatabaseEachTest, testDialects } from '../helpers/databases.js';
import { changesRead, key, LIMITS, listed } from './store-scenarios.js';

const DIALECTS = await testDialects();
const DAY = 86_400_000;

/** The account's rows, tombstones included, in sequence order; null when there is no account. */
async function rows(store: Store, account: AccountKey): Promise<[string, number, boolean][] | null> {
  const changes = await changesRead(store, account, 0, 1000);
  return changes === null ? null : changes.items.map((item) => [item.id, item.rev, item.deleted]);
}

// One suite, every database (kysely's habit): SQLite always, PostgreSQL whenever reachable.
for (const dialect of DIALECTS) {
  describe(`V2Repository on ${dialect}`, () => {
    let store: Store;
    freshDatabaseEachTest(dialect, (database) => {
      store = database.store;
    });

    it('creates an account only by a successful create: never by a read or a failed write', async () => {
      const account = key('token-a');
      expect(await changesRead(store, account, 0, 10)).toBeNull();
      expect(await store.v2Put(account, 'item-a', 3, 'o2fa2.A', LIMITS)).toEqual({ status: 'not_found' });
      expect(await store.v2Delete(account, 'item-a', 1, 'o2fa2.D')).toEqual({ status: 'not_found' });
      const noRoom = { ...LIMITS, maxItems: 0 };
      expect(await store.v2Put(account, 'item-a', 0, 'o2fa2.A', noRoom)).toEqual({
        status: 'quota_exceeded',
        limit: 0,
      });
      expect(await store.v2DeleteAccount(account)).toBeNull();
      expect(await changesRead(store, account, 0, 10)).toBeNull();
      expect(await store.v2Put(account, 'item-a', 0, 'o2fa2.A', LIMITS)).toMatchObject({ status: 'ok', seq: 1 });
      expect(await changesRead(store, account, 0, 10)).toMatchObject({ seq: 1, items: [{ id: 'item-a' }] });
    });

    it('keeps accounts apart and apart from v1 users', async () => {
      await store.v2Put(key('token-a'), 'item-a', 0, 'o2fa2.A', LIMITS);
      expect(await changesRead(store, key('token-b'), 0, 10)).toBeNull();
      expect(await store.v2Put(key('token-b'), 'item-a', 0, 'o2fa2.B', LIMITS)).toMatchObject({ status: 'ok' });
      expect(await rows(store, key('token-a'))).toEqual([['item-a', 1, false]]);
      // A v2 account is no v1 user, whatever its key's bytes.
      expect(await listed(store, key('token-a'))).toBeNull();
      await store.pushV1(key('token-a'), [{ encSecret: 'x', name: null }], 10);
      expect(await rows(store, key('token-a'))).toEqual([['item-a', 1, false]]);
    });

    it('revisions, sequence numbers, conflicts and sealed tombstones', async () => {
      const account = key('alice');
      const created = await store.v2Put(account, 'item-a', 0, 'o2fa2.A', LIMITS);
      expect(created).toEqual({
        status: 'ok',
        item: { id: 'item-a', rev: 1, seq: 1, deleted: false, envelope: 'o2fa2.A' },
        seq: 1,
      });
      expect(await store.v2Put(account, 'item-a', 0, 'o2fa2.B', LIMITS)).toMatchObject({
        status: 'conflict',
        item: { rev: 1 },
      });
      expect(await store.v2Put(account, 'item-x', 3, 'o2fa2.B', LIMITS)).toEqual({ status: 'not_found' });
      expect(await store.v2Put(account, 'item-a', 1, 'o2fa2.B', LIMITS)).toMatchObject({
        status: 'ok',
        item: { rev: 2, seq: 2 },
      });
      await store.v2Put(account, 'item-b', 0, 'o2fa2.C', LIMITS);
      expect(await store.v2Delete(account, 'item-a', 1, 'o2fa2.T')).toMatchObject({
        status: 'conflict',
        item: { rev: 2 },
      });
      const deleted = await store.v2Delete(account, 'item-a', 2, 'o2fa2.T');
      expect(deleted).toEqual({
        status: 'ok',
        item: { id: 'item-a', rev: 3, seq: 4, deleted: true, envelope: 'o2fa2.T' },
        seq: 4,
      });
      // Deleting the tombstone again changes nothing.
      expect(await store.v2Delete(account, 'item-a', 3, 'o2fa2.U')).toMatchObject({
        status: 'ok',
        item: { rev: 3, envelope: 'o2fa2.T' },
        seq: 4,
      });
      expect(await store.v2Delete(account, 'item-missing', 1, 'o2fa2.T')).toEqual({ status: 'not_found' });
      const all = await changesRead(store, account, 0, 10);
      expect(all?.seq).toBe(4);
      expect(all?.items.map((item) => [item.id, item.rev, item.seq, item.deleted, item.envelope])).toEqual([
        ['item-b', 1, 3, false, 'o2fa2.C'],
        ['item-a', 3, 4, true, 'o2fa2.T'],
      ]);
      expect((await changesRead(store, account, 3, 10))?.items.map((item) => item.id)).toEqual(['item-a']);
      // A tombstone can be overwritten at its revision (an edit beating a stale delete).
      expect(await store.v2Put(account, 'item-a', 3, 'o2fa2.D', LIMITS)).toMatchObject({
        status: 'ok',
        item: { rev: 4, deleted: false },
      });
    });

    it('pages changes and counts only live items against the quota', async () => {
      const account = key('pager');
      const limits = { ...LIMITS, maxItems: 5 };
      for (let index = 0; index < 5; index++) await store.v2Put(account, `item-${String(index)}`, 0, 'o2fa2.X', limits);
      expect(await store.v2Put(account, 'item-6', 0, 'o2fa2.X', limits)).toEqual({
        status: 'quota_exceeded',
        limit: 5,
      });
      await store.v2Delete(account, 'item-0', 1, 'o2fa2.T');
      expect(await store.v2Put(account, 'item-6', 0, 'o2fa2.X', limits)).toMatchObject({ status: 'ok' });
      const first = await changesRead(store, account, 0, 3);
      expect(first?.items).toHaveLength(3);
      expect(first?.more).toBe(true);
      const rest = await changesRead(store, account, first?.items[2]?.seq ?? 0, 3);
      expect(rest?.items.map((item) => item.seq)).toEqual([5, 6, 7]);
      expect(rest?.more).toBe(false);
    });

    it('bounds live items and tombstones together; a create compacts only tombstones old enough', async () => {
      const account = key('looper');
      const limits: V2StorageLimits = { maxItems: 2, maxRows: 4, compactAfterMs: 30 * DAY };
      // The create-and-delete loop of issue #15: four rows, then no room, since no tombstone is 30 days old.
      for (let index = 0; index < 4; index++) {
        expect(await store.v2Put(account, `item-${String(index)}`, 0, 'o2fa2.X', limits)).toMatchObject({
          status: 'ok',
        });
        expect(await store.v2Delete(account, `item-${String(index)}`, 1, 'o2fa2.T')).toMatchObject({ status: 'ok' });
      }
      expect(await store.v2Put(account, 'item-4', 0, 'o2fa2.X', limits)).toEqual({ status: 'storage_full', limit: 4 });
      expect(await rows(store, account)).toHaveLength(4);
      // Reviving a tombstone needs no new row.
      expect(await store.v2Put(account, 'item-1', 2, 'o2fa2.Y', limits)).toMatchObject({ status: 'ok' });
      // With every tombstone old enough, a create erases the oldest one (by sequence) and nothing else.
      const compacting = { ...limits, compactAfterMs: 0 };
      expect(await store.v2Put(account, 'item-4', 0, 'o2fa2.X', compacting)).toMatchObject({ status: 'ok' });
      expect(await rows(store, account)).toEqual([
        ['item-2', 2, true],
        ['item-3', 2, true],
        ['item-1', 3, false],
        ['item-4', 1, false],
      ]);
    });

    it('rolls back a refused create entirely, compaction included', async () => {
      const account = key('full');
      const roomy: V2StorageLimits = { maxItems: 2, maxRows: 10, compactAfterMs: 0 };
      for (const id of ['item-0', 'item-1', 'item-2', 'item-3'])
        await store.v2Put(account, id, 0, 'o2fa2.X', { ...roomy, maxItems: 4 });
      await store.v2Delete(account, 'item-0', 1, 'o2fa2.T');
      await store.v2Delete(account, 'item-1', 1, 'o2fa2.T');
      const before = await rows(store, account);
      // Over the live quota: refused before anything is compacted.
      expect(await store.v2Put(account, 'item-4', 0, 'o2fa2.X', { ...roomy, maxItems: 2 })).toEqual({
        status: 'quota_exceeded',
        limit: 2,
      });
      // Two tombstones cannot make room for a fifth row under three: their erasure is rolled back too.
      const tight: V2StorageLimits = { maxItems: 5, maxRows: 2, compactAfterMs: 0 };
      expect(await store.v2Put(account, 'item-4', 0, 'o2fa2.X', tight)).toEqual({ status: 'storage_full', limit: 2 });
      expect(await rows(store, account)).toEqual(before);
      expect(before).toHaveLength(4);
    });

    it('erases an account: items, tombstones and row; the key can start over', async () => {
      const account = key('leaver');
      await store.v2Put(account, 'item-a', 0, 'o2fa2.A', LIMITS);
      await store.v2Put(account, 'item-b', 0, 'o2fa2.B', LIMITS);
      await store.v2Put(account, 'item-c', 0, 'o2fa2.C', LIMITS);
      await store.v2Delete(account, 'item-c', 1, 'o2fa2.T');
      await store.v2Put(key('stayer'), 'item-a', 0, 'o2fa2.S', LIMITS);
      expect(await store.v2DeleteAccount(account)).toBe(2);
      expect(await changesRead(store, account, 0, 10)).toBeNull();
      expect(await store.v2DeleteAccount(account)).toBeNull();
      expect(await rows(store, key('stayer'))).toEqual([['item-a', 1, false]]);
      expect(await store.v2Put(account, 'item-a', 0, 'o2fa2.A', LIMITS)).toMatchObject({ status: 'ok', seq: 1 });
    });

    it('never gives two concurrent writes the same revision or sequence, nor one account two rows', async () => {
      const account = key('racer');
      // Concurrent first creates of one new account: one account, distinct sequence numbers.
      const firsts = await Promise.all(
        Array.from({ length: 8 }, (_, writer) => store.v2Put(account, `first-${String(writer)}`, 0, 'o2fa2.x', LIMITS)),
      );
      expect(firsts.every((result) => result.status === 'ok')).toBe(true);
      expect(new Set(firsts.map((result) => (result.status === 'ok' ? result.seq : -1))).size).toBe(8);
      expect((await changesRead(store, account, 0, 100))?.seq).toBe(8);
      await store.v2Put(account, 'item-shared', 0, 'o2fa2.0', LIMITS);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, writer) =>
          store.v2Put(account, 'item-shared', 1, `o2fa2.${String(writer)}`, LIMITS),
        ),
      );
      expect(results.filter((result) => result.status === 'ok')).toHaveLength(1);
      expect(results.filter((result) => result.status === 'conflict')).toHaveLength(7);
    });
  });
}
