import { createHash } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database-schema.js';
import { KyselyStore } from '../../src/store/kysely-store.js';
import { openSqliteDatabase, openSqliteReader } from '../../src/store/sqlite-connection.js';
import type { StoreWriter } from '../../src/store/sqlite-write-protocol.js';
import type { Store, UserKey, V1Entry } from '../../src/store/store.js';
import { v1ListBody } from '../../src/store/v1-list-document.js';
import { dialectOf, openTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';

const DIALECTS = await testDialects();

function key(id: string): UserKey {
  return createHash('sha256').update(id).digest();
}

/**
 * The user's entries read from the rows (`listV1`), after checking that the stored list document the
 * pull path reads (`listV1Body`) says exactly the same: every scenario below checks both.
 */
async function listed(store: Store, user: UserKey): Promise<readonly V1Entry[] | null> {
  const [entries, body] = await Promise.all([store.listV1(user), store.listV1Body(user)]);
  expect(body === null ? null : body.toString('utf8')).toBe(
    entries === null ? null : v1ListBody(entries).toString('utf8'),
  );
  return entries;
}

/**
 * Every kind of write, each with a read while it is in flight and followed by reads that must see it.
 * With `oneTurn`, the whole sequence must also run within one turn of the event loop, so that the reads
 * of a SQLite file share one read snapshot (sqlite-reader.ts), opened by the read in flight before the
 * commit: only the store's own refresh after each write can make the next read see it.
 */
async function expectAcknowledgedWritesRead(store: Store, oneTurn: boolean): Promise<void> {
  const bodyText = async (user: UserKey) => (await store.listV1Body(user))?.toString('utf8') ?? null;
  const changed = async (user: UserKey) => (await store.v2Changes(user, 0, 10)).items;
  /** The write, with a read of the same user while it is in flight (it may see the old state). */
  const whileReading = async <T>(write: Promise<T>, read: () => Promise<unknown>): Promise<T> =>
    (await Promise.all([write, read()]))[0];
  let turnEnded = false;
  setImmediate(() => (turnEnded = true));
  const a = { encSecret: 'a', name: null };
  const b = { encSecret: 'b', name: 'B' };
  const alice = key('alice');
  const carol = key('carol');
  expect(await bodyText(alice)).toBeNull();
  await whileReading(store.pushV1(alice, [a], 1000), () => bodyText(alice));
  expect(await bodyText(alice)).toBe(v1ListBody([a]).toString('utf8'));
  await whileReading(store.pushV1(alice, [b], 1000), () => bodyText(alice));
  expect(await bodyText(alice)).toBe(v1ListBody([a, b]).toString('utf8'));
  await whileReading(store.deleteV1(alice, ['a']), () => bodyText(alice));
  expect(await bodyText(alice)).toBe(v1ListBody([b]).toString('utf8'));
  expect(await bodyText(carol)).toBeNull();
  await whileReading(store.v2Authenticate(carol, new Uint8Array(32), true), () => bodyText(carol));
  expect(await bodyText(carol)).toBe('{"totps":[]}');
  expect(await store.v2Changes(carol, 0, 10)).toEqual({ items: [], seq: 0, more: false });
  expect(await store.v2Authenticate(carol, new Uint8Array(32), false)).toBe('ok');
  const put = await whileReading(store.v2Put(carol, 'item-1', 0, 'o2fa2.x', 10), () => changed(carol));
  expect(put.status).toBe('ok');
  expect((await changed(carol)).map((item) => item.id)).toEqual(['item-1']);
  await whileReading(store.v2Delete(carol, 'item-1', 1), () => changed(carol));
  expect(await changed(carol)).toMatchObject([{ id: 'item-1', deleted: true }]);
  if (oneTurn) expect(turnEnded).toBe(false);
}

// One suite, every database (kysely's habit): SQLite always, PostgreSQL whenever reachable.
for (const dialect of DIALECTS) {
  describe(`Store on ${dialect}`, () => {
    let database: TestDatabase;
    let store: Store;

    beforeEach(async () => {
      database = await openTestDatabase(dialect);
      store = database.store;
    });
    afterEach(async () => {
      await database.dispose();
    });

    it('reports its dialect and answers ping once migrated', async () => {
      expect(store.dialect).toBe(dialectOf(dialect));
      await expect(store.ping()).resolves.toBeUndefined();
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

    const bodyText = async (user: UserKey) => (await store.listV1Body(user))?.toString('utf8') ?? null;

    it('reads every write acknowledged before the read began', async () => {
      await expectAcknowledgedWritesRead(store, dialect === 'sqlite');
    });

    // Only a SQLite file has another connection to write through.
    if (dialect === 'sqlite-file') {
      it('ends the shared read snapshot after a write, even one that settles within the turn', async () => {
        // The writer thread answers in a later turn, when the turn's snapshot has ended anyway; this
        // store writes through a second connection on this thread instead, all within one turn.
        const path = database.databaseUrl.slice('sqlite:'.length);
        const kysely = (): Kysely<Database> =>
          new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqliteDatabase(path) }) });
        const direct = new KyselyStore(kysely(), 'sqlite');
        const sameTurn: StoreWriter = {
          call: (method, args) => (direct[method] as (...values: typeof args) => Promise<never>).apply(direct, args),
          close: () => direct.close(),
        };
        const shared = new KyselyStore(kysely(), 'sqlite', {
          openReader: () => openSqliteReader(path),
          startWriteThread: () => Promise.resolve(sameTurn),
        });
        try {
          await shared.migrate();
          await expectAcknowledgedWritesRead(shared, true);
        } finally {
          await shared.close();
        }
      });

      it("sees another connection's writes from the next turn on", async () => {
        expect(await bodyText(key('dave'))).toBeNull();
        const path = database.databaseUrl.slice('sqlite:'.length);
        const other = new SqliteDatabase(path);
        try {
          other.pragma('busy_timeout = 5000');
          other.prepare('INSERT INTO users (id_hash, created_at) VALUES (?, 0)').run(key('dave'));
        } finally {
          other.close();
        }
        await new Promise((resolve) => setImmediate(resolve));
        expect(await bodyText(key('dave'))).toBe('{"totps":[]}');
      });
    }

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
