import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { AccountKey, Store, UserKey, V1Entry, V2Changes, V2StorageLimits } from '../../src/store/store.js';
import { v1ListBody } from '../../src/store/v1-list-document.js';

/** Roomy v2 limits; tombstones never old enough to compact within a test. */
export const LIMITS: V2StorageLimits = { maxItems: 100, maxRows: 200, compactAfterMs: 30 * 86_400_000 };

/** The store key of a test user name (v1) or account (v2). */
export function key(id: string): UserKey {
  return createHash('sha256').update(id).digest();
}

/**
 * The user's entries read from the rows (`listV1`), after checking that the stored list document the
 * pull path reads (`listV1Body`) says exactly the same: every scenario below checks both.
 */
export async function listed(store: Store, user: UserKey): Promise<readonly V1Entry[] | null> {
  const [entries, body] = await Promise.all([store.listV1(user), store.listV1Body(user)]);
  expect(body === null ? null : body.toString('utf8')).toBe(
    entries === null ? null : v1ListBody(entries).toString('utf8'),
  );
  return entries;
}

/**
 * The account's page of changes (`v2Changes`), after checking that the answer body the sync hot path
 * sends (`v2ChangesBody`, which may come from the store's kept answers) says exactly the same.
 */
export async function changesRead(
  store: Store,
  account: AccountKey,
  since: number,
  limit: number,
): Promise<V2Changes | null> {
  const [changes, body] = await Promise.all([
    store.v2Changes(account, since, limit),
    store.v2ChangesBody(account, since, limit),
  ]);
  expect(body === null ? null : JSON.parse(body.toString('utf8'))).toEqual(wireAnswer(changes));
  return changes;
}

/** What the sync route's body (`v2ChangesBody`) must say for a page of changes, as parsed JSON. */
export function wireAnswer(changes: V2Changes | null): unknown {
  return changes === null
    ? null
    : {
        items: changes.items.map(({ id, rev, seq, deleted, envelope }) => ({ id, rev, seq, deleted, envelope })),
        seq: changes.seq,
        more: changes.more,
      };
}

/**
 * Every kind of write, each with a read while it is in flight and followed by reads that must see it.
 * With `oneTurn`, the whole sequence must also run within one turn of the event loop, so that the reads
 * of a SQLite file share one read snapshot (sqlite-reader.ts), opened by the read in flight before the
 * commit: only the store's own refresh after each write can make the next read see it.
 */
export async function expectAcknowledgedWritesRead(store: Store, oneTurn: boolean): Promise<void> {
  const bodyText = async (user: UserKey) => (await store.listV1Body(user))?.toString('utf8') ?? null;
  const changed = async (account: AccountKey) => (await changesRead(store, account, 0, 10))?.items ?? null;
  // The sync's read in flight: the answer it may keep of the old state must not be sent afterwards. (Not
  // compared with v2Changes: on PostgreSQL two reads in flight may see either side of the commit.)
  const syncing = (account: AccountKey) => () => store.v2ChangesBody(account, 0, 10);
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
  await whileReading(store.deleteV1Account(alice), () => bodyText(alice));
  expect(await bodyText(alice)).toBeNull();
  expect(await changed(carol)).toBeNull();
  const put = await whileReading(store.v2Put(carol, 'item-1', 0, 'o2fa2.x', LIMITS), syncing(carol));
  expect(put.status).toBe('ok');
  expect((await changed(carol))?.map((item) => item.id)).toEqual(['item-1']);
  await whileReading(store.v2Delete(carol, 'item-1', 1, 'o2fa2.gone'), syncing(carol));
  expect(await changed(carol)).toMatchObject([{ id: 'item-1', deleted: true, envelope: 'o2fa2.gone' }]);
  await whileReading(store.v2DeleteAccount(carol), syncing(carol));
  expect(await changed(carol)).toBeNull();
  if (oneTurn) expect(turnEnded).toBe(false);
}
