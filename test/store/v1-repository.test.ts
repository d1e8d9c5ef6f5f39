import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { freshDatabaseEachTest, testDialects } from '../helpers/databases.js';
import { key, listed } from './store-scenarios.js';

const DIALECTS = await testDialects();

// One suite, every database (kysely's habit): SQLite always, PostgreSQL whenever reachable.
for (const dialect of DIALECTS) {
  describe(`V1Repository on ${dialect}`, () => {
    let store: Store;
    freshDatabaseEachTest(dialect, (database) => {
      store = database.store;
    });

    it('knows no user before the first push', async () => {
      expect(await listed(store, key('alice'))).toBeNull();
      expect(await store.deleteV1(key('alice'), ['x'])).toBeNull();
    });

    it('creates the user on first push, even with no entries', async () => {
      const first = await store.pushV1(key('alice'), [], 1000);
      expect(first).toEqual({ status: 'ok', userCreated: true, entries: [] });
      expect(await listed(store, key('alice'))).toEqual([]);
      const second = await store.pushV1(key('alice'), [{ encSecret: 'a', name: null }], 1000);
      expect(second).toMatchObject({ status: 'ok', userCreated: false });
    });

    it('upserts by ciphertext: a rename, never a duplicate', async () => {
      await store.pushV1(
        key('alice'),
        [
          { encSecret: 'a', name: 'GitHub' },
          { encSecret: 'b', name: null },
        ],
        1000,
      );
      const result = await store.pushV1(
        key('alice'),
        [
          { encSecret: 'a', name: 'GitLab' },
          { encSecret: 'c', name: 'X' },
        ],
        1000,
      );
      const expected = [
        { encSecret: 'a', name: 'GitLab' },
        { encSecret: 'b', name: null },
        { encSecret: 'c', name: 'X' },
      ];
      expect(result).toEqual({ status: 'ok', userCreated: false, entries: expected });
      expect(await listed(store, key('alice'))).toEqual(expected);
    });

    it('counts a repeated ciphertext in one push once, the last name winning', async () => {
      const result = await store.pushV1(
        key('alice'),
        [
          { encSecret: 'a', name: 'first' },
          { encSecret: 'b', name: null },
          { encSecret: 'a', name: 'last' },
        ],
        1000,
      );
      expect(result).toMatchObject({
        entries: [
          { encSecret: 'b', name: null },
          { encSecret: 'a', name: 'last' },
        ],
      });
    });

    it('keeps users apart, even with equal ciphertexts', async () => {
      await store.pushV1(key('alice'), [{ encSecret: 'same', name: 'A' }], 1000);
      await store.pushV1(key('bob'), [{ encSecret: 'same', name: 'B' }], 1000);
      expect(await listed(store, key('alice'))).toEqual([{ encSecret: 'same', name: 'A' }]);
      expect(await store.deleteV1(key('bob'), ['same'])).toBe(1);
      expect(await listed(store, key('alice'))).toEqual([{ encSecret: 'same', name: 'A' }]);
      expect(await listed(store, key('bob'))).toEqual([]);
    });

    it('deletes by ciphertext and answers how many went', async () => {
      await store.pushV1(
        key('alice'),
        ['a', 'b', 'c'].map((encSecret) => ({ encSecret, name: null })),
        1000,
      );
      expect(await store.deleteV1(key('alice'), ['a', 'c', 'missing', 'a'])).toBe(2);
      expect(await listed(store, key('alice'))).toEqual([{ encSecret: 'b', name: null }]);
      expect(await store.deleteV1(key('alice'), ['b'])).toBe(1);
      expect(await listed(store, key('alice'))).toEqual([]);
      expect(await store.deleteV1(key('alice'), [])).toBe(0);
    });

    it('refuses a push that would exceed the quota and writes nothing', async () => {
      await store.pushV1(
        key('alice'),
        [
          { encSecret: 'a', name: null },
          { encSecret: 'b', name: null },
        ],
        3,
      );
      const refused = await store.pushV1(
        key('alice'),
        [
          { encSecret: 'a', name: 'renamed' },
          { encSecret: 'c', name: null },
          { encSecret: 'd', name: null },
        ],
        3,
      );
      expect(refused).toEqual({ status: 'quota_exceeded', limit: 3 });
      expect(await listed(store, key('alice'))).toEqual([
        { encSecret: 'a', name: null },
        { encSecret: 'b', name: null },
      ]);
      // Updating existing entries does not count against the quota.
      const renamed = await store.pushV1(
        key('alice'),
        [
          { encSecret: 'a', name: 'ok' },
          { encSecret: 'c', name: null },
        ],
        3,
      );
      expect(renamed).toMatchObject({ status: 'ok' });
      // A refused first push leaves no user behind.
      expect(
        await store.pushV1(
          key('carol'),
          [
            { encSecret: 'x', name: null },
            { encSecret: 'y', name: null },
          ],
          1,
        ),
      ).toEqual({
        status: 'quota_exceeded',
        limit: 1,
      });
      expect(await listed(store, key('carol'))).toBeNull();
    });

    it('stores up to the limit in one push (chunked inserts)', async () => {
      const entries = Array.from({ length: 1000 }, (_, index) => ({
        encSecret: `enc-${String(index)}`,
        name: `n${String(index)}`,
      }));
      const result = await store.pushV1(key('alice'), entries, 1000);
      expect(result).toMatchObject({ status: 'ok', userCreated: true });
      expect(await listed(store, key('alice'))).toEqual(entries);
    });

    it('keeps unusual text intact', async () => {
      const name = 'Ünïcødé 🔐 \' " ; DROP TABLE users; --\u0001\nend';
      await store.pushV1(key('alice'), [{ encSecret: 'a', name }], 1000);
      expect(await listed(store, key('alice'))).toEqual([{ encSecret: 'a', name }]);
    });

    it('loses and duplicates nothing under concurrent pushes and deletes', async () => {
      const writers = 8;
      const pushes = 25;
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let index = 0; index < pushes; index++) {
            // Every writer pushes its own entry and a shared one, racing on the same rows.
            const result = await store.pushV1(
              key('shared'),
              [
                { encSecret: `w${String(writer)}-${String(index)}`, name: `writer ${String(writer)}` },
                { encSecret: 'common', name: `from ${String(writer)}` },
              ],
              1000,
            );
            expect(result.status).toBe('ok');
          }
        }),
      );
      const stored = (await listed(store, key('shared'))) ?? [];
      expect(stored).toHaveLength(writers * pushes + 1);
      expect(new Set(stored.map((entry) => entry.encSecret)).size).toBe(stored.length);
    });

    it('keeps the list document equal to the rows through any sequence of pushes and deletes', async () => {
      const secret = fc.constantFrom('a', 'b', 'c', 'd', 'e');
      const operation = fc.oneof(
        fc.record({
          push: fc.array(fc.record({ encSecret: secret, name: fc.option(fc.string({ maxLength: 8 })) }), {
            maxLength: 4,
          }),
        }),
        fc.record({ remove: fc.array(secret, { maxLength: 3 }) }),
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 8 }), async (operations) => {
          const user = key(`property-${String(run++)}`);
          for (const step of operations) {
            if ('push' in step) await store.pushV1(user, step.push, 4);
            else await store.deleteV1(user, step.remove);
          }
          await listed(store, user);
        }),
        { numRuns: 40 },
      );
    });

    it('erases a user: entries, list document and row', async () => {
      await store.pushV1(
        key('alice'),
        ['a', 'b'].map((encSecret) => ({ encSecret, name: null })),
        1000,
      );
      await store.pushV1(key('bob'), [{ encSecret: 'a', name: null }], 1000);
      expect(await store.deleteV1Account(key('alice'))).toBe(2);
      expect(await listed(store, key('alice'))).toBeNull();
      expect(await store.deleteV1Account(key('alice'))).toBeNull();
      expect(await listed(store, key('bob'))).toEqual([{ encSecret: 'a', name: null }]);
      expect(await store.pushV1(key('alice'), [], 1000)).toMatchObject({ userCreated: true });
    });

    it('enforces the quota under concurrent pushes of one user', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, writer) =>
          store.pushV1(key('racer'), [{ encSecret: `r${String(writer)}`, name: null }], 5),
        ),
      );
      expect(results.filter((result) => result.status === 'ok')).toHaveLength(5);
      expect(await listed(store, key('racer'))).toHaveLength(5);
    });
  });
}
