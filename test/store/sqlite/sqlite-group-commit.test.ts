import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database-schema.js';
import { KyselyStore } from '../../../src/store/kysely-store.js';
import { openSqliteDatabase, openSqliteReader } from '../../../src/store/sqlite/sqlite-connection.js';
import { GroupCommit } from '../../../src/store/sqlite/sqlite-group-commit.js';
import type { V1Entry } from '../../../src/store/store.js';

// GroupCommit runs here on the test's own connection (on the server it runs on the writer thread), so
// every group below is certainly one transaction.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function groupStore(): Promise<{
  group: GroupCommit;
  store: KyselyStore;
  database: SqliteDatabase.Database;
  /** Another connection to the same file: it sees only what is committed. */
  other: SqliteDatabase.Database;
  path: string;
}> {
  const directory = mkdtempSync(join(tmpdir(), 'open2fa-group-'));
  const path = join(directory, 'store.db');
  const database = openSqliteDatabase(path);
  const group = new GroupCommit(database);
  const store = new KyselyStore(new Kysely<Database>({ dialect: group.dialect() }), 'sqlite');
  await store.migrate();
  const other = openSqliteReader(path);
  cleanups.push(() => {
    rmSync(directory, { recursive: true, force: true });
  });
  cleanups.push(() => {
    other.close();
    database.close();
  });
  return { group, store, database, other, path };
}

const key = (byte: number) => new Uint8Array(32).fill(byte);
const [alice, bob, carol, dave] = [key(1), key(2), key(3), key(4)];
const [account, fullAccount] = [key(5), key(6)];
const limits = { maxItems: 10, maxRows: 20, compactAfterMs: 1000 };
const users = (other: SqliteDatabase.Database) => other.prepare('SELECT count(*) FROM users').pluck().get();

describe('group commit on the SQLite writer connection', () => {
  it('gives each write of a shared transaction its own outcome, and a failing one leaves its neighbours', async () => {
    const { group, store, other } = await groupStore();
    const outcomes = await group.run([
      () => store.pushV1(alice, [{ encSecret: 'a1', name: 'Bank' }], 100),
      // A NOT NULL violation after the user row went in: its savepoint takes the user row back out.
      () => store.pushV1(bob, [{ encSecret: null, name: null } as unknown as V1Entry], 100),
      () =>
        store.pushV1(
          carol,
          ['c1', 'c2', 'c3'].map((encSecret) => ({ encSecret, name: null })),
          2,
        ),
      () => store.v2Put(account, 'item', 0, 'first', limits),
      // If-Match "0" again: the item is at revision 1 by now, inside the same transaction.
      () => store.v2Put(account, 'item', 0, 'second', limits),
      () => store.v2Put(fullAccount, 'item', 0, 'never', { ...limits, maxItems: 0 }),
      // Nothing of the group is visible to another connection before the commit: one transaction.
      () => Promise.resolve(users(other)),
      () => store.pushV1(alice, [{ encSecret: 'a2', name: null }], 100),
    ]);

    expect(outcomes[0]).toEqual({
      value: { status: 'ok', userCreated: true, entries: [{ encSecret: 'a1', name: 'Bank' }] },
    });
    expect(outcomes[1]).toMatchObject({ error: { code: 'SQLITE_CONSTRAINT_NOTNULL' } });
    expect(outcomes[2]).toEqual({ value: { status: 'quota_exceeded', limit: 2 } });
    expect(outcomes[3]).toMatchObject({ value: { status: 'ok', item: { rev: 1, envelope: 'first' }, seq: 1 } });
    expect(outcomes[4]).toMatchObject({ value: { status: 'conflict', item: { rev: 1, envelope: 'first' } } });
    expect(outcomes[5]).toEqual({ value: { status: 'quota_exceeded', limit: 0 } });
    expect(outcomes[6]).toEqual({ value: 0 });
    expect(outcomes[7]).toEqual({
      value: {
        status: 'ok',
        userCreated: false,
        entries: [
          { encSecret: 'a1', name: 'Bank' },
          { encSecret: 'a2', name: null },
        ],
      },
    });

    // Committed: alice and the v2 account only; bob's, carol's and the full account's writes left nothing.
    expect(users(other)).toBe(1);
    expect(await store.listV1(alice)).toEqual([
      { encSecret: 'a1', name: 'Bank' },
      { encSecret: 'a2', name: null },
    ]);
    expect(await store.listV1(bob)).toBeNull();
    expect(await store.listV1(carol)).toBeNull();
    expect(await store.v2Changes(fullAccount, 0, 10)).toBeNull();
    expect(await store.v2Changes(account, 0, 10)).toMatchObject({ items: [{ id: 'item', rev: 1, envelope: 'first' }] });
  });

  it('runs the writes before a failure again when SQLite dropped the whole transaction', async () => {
    const { group, store, database, other } = await groupStore();
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const outcomes = await group.run([
      () => store.pushV1(alice, [{ encSecret: 'a1', name: null }], 100),
      // What SQLite does on SQLITE_FULL or an I/O error in a statement: it rolls back the transaction.
      () => {
        database.exec('ROLLBACK');
        return Promise.reject(full);
      },
      () => store.pushV1(dave, [{ encSecret: 'd1', name: null }], 100),
    ]);
    expect(outcomes[0]).toMatchObject({ value: { status: 'ok', userCreated: true } });
    expect(outcomes[1]).toEqual({ error: full });
    expect(outcomes[2]).toMatchObject({ value: { status: 'ok', userCreated: true } });
    expect(users(other)).toBe(2);
    expect(await store.listV1(alice)).toEqual([{ encSecret: 'a1', name: null }]);
  });

  it('drops the whole transaction when a failed write left its savepoint open, and runs the others again', async () => {
    const { group, store, database, other } = await groupStore();
    const stuck = new Error('ROLLBACK TO failed');
    const outcomes = await group.run([
      () => store.pushV1(alice, [{ encSecret: 'a1', name: null }], 100),
      // A write whose savepoint could not be rolled back: its row is still in the transaction.
      () => {
        database.exec('SAVEPOINT group_write');
        group.savepointTaken();
        database.exec(`INSERT INTO users (id_hash, created_at) VALUES (x'${'07'.repeat(32)}', 1)`);
        return Promise.reject(stuck);
      },
      () => store.pushV1(dave, [{ encSecret: 'd1', name: null }], 100),
    ]);
    expect(outcomes[1]).toEqual({ error: stuck });
    expect(outcomes[0]).toMatchObject({ value: { status: 'ok', userCreated: true } });
    expect(outcomes[2]).toMatchObject({ value: { status: 'ok', userCreated: true } });
    // Alice and Dave, and not the failed write's row.
    expect(users(other)).toBe(2);
  });

  it('fails every write of a group whose transaction cannot begin, and the next group still runs', async () => {
    const { group, store, database, path } = await groupStore();
    database.pragma('busy_timeout = 50');
    const holder = new SqliteDatabase(path);
    holder.exec('BEGIN IMMEDIATE');
    const push = (user: Uint8Array) => () => store.pushV1(user, [{ encSecret: 'x', name: null }], 100);
    const refused = await group.run([push(alice), push(bob)]);
    holder.exec('ROLLBACK');
    holder.close();
    expect(refused).toEqual([{ error: expect.objectContaining({ code: 'SQLITE_BUSY' }) }, refused[0]]);
    const outcomes = await group.run([push(alice), push(bob)]);
    expect(outcomes.map((outcome) => 'value' in outcome && outcome.value)).toEqual([
      expect.objectContaining({ status: 'ok' }),
      expect.objectContaining({ status: 'ok' }),
    ]);
  });
});
