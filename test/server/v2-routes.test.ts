import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deriveV1Credentials,
  deriveV2Keys,
  makeEntry,
  randomItemId,
  randomUuid,
  sealEnvelope,
} from '../../src/core/index.js';
import { sealTombstone } from '../../src/core/v2/cipher.js';
import { buildApp } from '../../src/server/app.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

let app: FastifyInstance;
let store: Store;

beforeEach(async () => {
  store = await openStore({ databaseUrl: 'sqlite::memory:' });
  app = await buildApp({ store, maxItemsPerUser: 3, rateLimitFailedLookups: 0 });
});
afterEach(async () => {
  await app.close();
  await store.close();
});

interface Credentials {
  id: string;
  token: string;
  key: CryptoKey;
}

async function credentials(): Promise<Credentials> {
  const v1 = await deriveV1Credentials(randomUuid());
  const v2 = await deriveV2Keys(v1.key);
  return { id: v1.id, token: v2.authToken, key: v2.envelopeKey };
}

function headers(who: Credentials, extra: Record<string, string> = {}) {
  return { 'x-user-hash': who.id, authorization: `Bearer ${who.token}`, ...extra };
}

async function envelope(who: Credentials, itemId: string, name: string): Promise<string> {
  return sealEnvelope(who.key, { userId: who.id, itemId }, makeEntry('JBSWY3DPEHPK3PXP', name), 1);
}

function put(who: Credentials, itemId: string, rev: number | null, body: unknown) {
  return app.inject({
    method: 'PUT',
    url: `/api/v2/items/${itemId}`,
    headers: headers(who, rev === null ? {} : { 'if-match': `"${String(rev)}"` }),
    payload: body as object,
  });
}

/** A sealed deletion, as revision 2 clients send it (the server checks its shape, clients its seal). */
async function tombstone(who: Credentials, itemId: string, rev = 2): Promise<string> {
  return sealTombstone(who.key, { userId: who.id, itemId }, rev);
}

function remove(who: Credentials, itemId: string, rev: number, body: unknown, extra: Record<string, string> = {}) {
  return app.inject({
    method: 'DELETE',
    url: `/api/v2/items/${itemId}`,
    headers: headers(who, { 'if-match': `"${String(rev)}"`, ...extra }),
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

function read(who: Credentials, query = '') {
  return app.inject({ url: `/api/v2/items${query}`, headers: headers(who) });
}

describe('v2 accounts (revision 2: keyed by the token)', () => {
  it('leaves an account that a known Open2FA ID with another token can neither read, take nor touch', async () => {
    const owner = await credentials();
    const itemId = randomItemId();
    expect((await put(owner, itemId, 0, { envelope: await envelope(owner, itemId, 'first') })).statusCode).toBe(200);
    // Someone who knows the owner's ID, with a token of their own: they only ever reach their own account.
    const intruder = { ...(await credentials()), id: owner.id };
    expect((await read(intruder)).json()).toEqual({ items: [], seq: 0, more: false });
    const theirs = randomItemId();
    expect((await put(intruder, theirs, 0, { envelope: await envelope(intruder, theirs, 'x') })).statusCode).toBe(200);
    expect((await put(intruder, itemId, 1, { envelope: await envelope(intruder, itemId, 'x') })).statusCode).toBe(404);
    expect((await remove(intruder, itemId, 1, { envelope: await tombstone(intruder, itemId) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/v2/account', headers: headers(intruder) })).json()).toEqual(
      {
        deleted: 1,
      },
    );
    // The owner never gets a 401 and finds the item as it left it.
    const mine = await read(owner);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ seq: 1, items: [{ id: itemId, rev: 1, deleted: false }] });
  });

  it('creates no account by a read or a failed write', async () => {
    const who = await credentials();
    const account = createHash('sha256').update(who.token).digest();
    expect((await read(who)).json()).toEqual({ items: [], seq: 0, more: false });
    expect((await put(who, randomItemId(), 3, { envelope: await envelope(who, 'x', 'n') })).statusCode).toBe(404);
    expect((await put(who, randomItemId(), null, { envelope: await envelope(who, 'x', 'n') })).statusCode).toBe(428);
    expect((await remove(who, randomItemId(), 1, { envelope: await tombstone(who, 'x') })).statusCode).toBe(404);
    expect((await put(who, randomItemId(), 0, { envelope: 'not an envelope' })).statusCode).toBe(422);
    expect(await store.v2Changes(account, 0, 10)).toBeNull();
    expect((await put(who, randomItemId(), 0, { envelope: await envelope(who, 'x', 'n') })).statusCode).toBe(200);
    expect(await store.v2Changes(account, 0, 10)).toMatchObject({ seq: 1 });
  });

  it.each([
    ['no token', {}],
    ['a malformed token', { authorization: 'Bearer short' }],
    ['a token with a stray character', { authorization: `Bearer ${'a'.repeat(42)}=` }],
    ['Basic auth', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['no space after the scheme', { authorization: `Bearer${'a'.repeat(43)}` }],
  ])('answers %s with 401 and WWW-Authenticate: Bearer', async (_label, requestHeaders) => {
    for (const [method, url] of [
      ['GET', '/api/v2/items'],
      ['PUT', `/api/v2/items/${randomItemId()}`],
      ['DELETE', '/api/v2/account'],
    ] as const) {
      const response = await app.inject({
        method,
        url,
        headers: { 'if-match': '"0"', ...requestHeaders },
        ...(method === 'PUT' ? { payload: { envelope: 'o2fa2.AAAA' } } : {}),
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ detail: 'v2 requests need "Authorization: Bearer <auth token>"' });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('matches the Bearer scheme case-insensitively, with one space or more (RFC 9110 §11.1)', async () => {
    const who = await credentials();
    const itemId = randomItemId();
    await put(who, itemId, 0, { envelope: await envelope(who, itemId, 'x') });
    for (const scheme of ['bearer ', 'BEARER ', 'BeArEr   ']) {
      const response = await app.inject({ url: '/api/v2/items', headers: { authorization: `${scheme}${who.token}` } });
      expect(response.json()).toMatchObject({ seq: 1 });
    }
  });

  it('needs no X-User-Hash, but holds one that is sent to the v1 rule', async () => {
    const who = await credentials();
    const bare = await app.inject({ url: '/api/v2/items', headers: { authorization: `Bearer ${who.token}` } });
    expect(bare.statusCode).toBe(200);
    expect((await read(who)).statusCode).toBe(200);
    for (const garbage of ['a b'.repeat(1000), 'x'.repeat(129), 'ünï']) {
      const response = await app.inject({
        url: '/api/v2/items',
        headers: { authorization: `Bearer ${who.token}`, 'x-user-hash': garbage },
      });
      expect(response.statusCode, garbage.slice(0, 10)).toBe(400);
      expect(response.json()).toEqual({ detail: expect.stringContaining('x-user-hash') as string });
    }
    // An empty header never reaches the schema as a value: Node drops it, as it would any empty header.
    const empty = await app.inject({
      url: '/api/v2/items',
      headers: { authorization: `Bearer ${who.token}`, 'x-user-hash': '' },
    });
    expect([200, 400]).toContain(empty.statusCode);
  });

  it('leaves v1 untouched: the token is not needed there, and v2 writes make no v1 user', async () => {
    const owner = await credentials();
    const itemId = randomItemId();
    await put(owner, itemId, 0, { envelope: await envelope(owner, itemId, 'v2 entry') });
    const v1 = await app.inject({ url: '/api/v1/totps', headers: { 'x-user-hash': owner.id } });
    expect(v1.statusCode).toBe(404);
  });

  it('erases a whole account (DELETE /api/v2/account), then reads it as new; unknown → 404', async () => {
    const who = await credentials();
    for (let index = 0; index < 2; index++) {
      const id = randomItemId();
      await put(who, id, 0, { envelope: await envelope(who, id, String(index)) });
    }
    const gone = randomItemId();
    await put(who, gone, 0, { envelope: await envelope(who, gone, 'gone') });
    await remove(who, gone, 1, { envelope: await tombstone(who, gone) });
    const erased = await app.inject({ method: 'DELETE', url: '/api/v2/account', headers: headers(who), payload: {} });
    expect(erased.statusCode).toBe(200);
    expect(erased.json()).toEqual({ deleted: 2 });
    expect((await read(who)).json()).toEqual({ items: [], seq: 0, more: false });
    const again = await app.inject({ method: 'DELETE', url: '/api/v2/account', headers: headers(who) });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ detail: 'no v2 account for this auth token' });
    const withBody = await app.inject({
      method: 'DELETE',
      url: '/api/v2/account',
      headers: headers(who),
      payload: { extra: 1 },
    });
    expect(withBody.statusCode).toBe(422);
  });
});

describe('v2 items', () => {
  it('creates, replaces at the base revision, and answers 409 with the current item when stale', async () => {
    const who = await credentials();
    const itemId = randomItemId();
    const created = await put(who, itemId, 0, { envelope: await envelope(who, itemId, 'one') });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ item: { id: itemId, rev: 1, seq: 1, deleted: false }, seq: 1 });
    const second = await put(who, itemId, 1, { envelope: await envelope(who, itemId, 'two') });
    expect(second.json()).toMatchObject({ item: { rev: 2, seq: 2 } });
    const stale = await put(who, itemId, 1, { envelope: await envelope(who, itemId, 'three') });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      detail: expect.stringContaining('revision 2') as string,
      item: { id: itemId, rev: 2 },
    });
    expect((await put(who, itemId, 0, { envelope: await envelope(who, itemId, 'again') })).statusCode).toBe(409);
  });

  it('needs If-Match (428) of the right form (400)', async () => {
    const who = await credentials();
    const itemId = randomItemId();
    const body = { envelope: await envelope(who, itemId, 'x') };
    expect((await put(who, itemId, null, body)).statusCode).toBe(428);
    const odd = await app.inject({
      method: 'PUT',
      url: `/api/v2/items/${itemId}`,
      headers: headers(who, { 'if-match': 'latest' }),
      payload: body,
    });
    expect(odd.statusCode).toBe(400);
    expect((await put(who, randomItemId(), 4, body)).statusCode).toBe(404);
  });

  it('deletes into a tombstone that keeps the sealed deletion, which changes carry and an edit can overwrite', async () => {
    const who = await credentials();
    const itemId = randomItemId();
    await put(who, itemId, 0, { envelope: await envelope(who, itemId, 'x') });
    const sealed = await tombstone(who, itemId);
    expect((await remove(who, itemId, 0, { envelope: sealed })).statusCode).toBe(409);
    const deleted = await remove(who, itemId, 1, { envelope: sealed });
    expect(deleted.json()).toEqual({ item: { id: itemId, rev: 2, seq: 2, deleted: true, envelope: sealed }, seq: 2 });
    expect((await read(who, '?since=1')).json()).toEqual({
      items: [{ id: itemId, rev: 2, seq: 2, deleted: true, envelope: sealed }],
      seq: 2,
      more: false,
    });
    expect((await remove(who, randomItemId(), 1, { envelope: sealed })).statusCode).toBe(404);
    expect((await put(who, itemId, 2, { envelope: await envelope(who, itemId, 'back') })).json()).toMatchObject({
      item: { rev: 3, deleted: false },
    });
  });

  it.each([
    ['no body', undefined],
    ['an empty object', {}],
    ['a null envelope', { envelope: null }],
    ['an envelope without the prefix', { envelope: 'abc' }],
    ['an envelope over 8192 characters', { envelope: `o2fa2.${'A'.repeat(8190)}` }],
  ])('refuses a DELETE with %s (422 naming the envelope) and changes nothing', async (_label, body) => {
    const who = await credentials();
    const itemId = randomItemId();
    await put(who, itemId, 0, { envelope: await envelope(who, itemId, 'x') });
    const refused = await remove(
      who,
      itemId,
      1,
      body,
      body === undefined ? { 'content-type': 'application/json' } : {},
    );
    expect([400, 422]).toContain(refused.statusCode);
    if (body !== undefined) {
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toEqual({ detail: expect.stringContaining('envelope') as string });
    }
    expect((await read(who)).json()).toMatchObject({ seq: 1, items: [{ deleted: false }] });
  });

  it('bounds the create-and-delete loop: live items and tombstones stay within twice the quota (409)', async () => {
    const who = await credentials();
    let refused = null;
    for (let round = 0; round < 20 && refused === null; round++) {
      const id = randomItemId();
      const created = await put(who, id, 0, { envelope: await envelope(who, id, 'loop') });
      if (created.statusCode !== 200) refused = created;
      else await remove(who, id, 1, { envelope: await tombstone(who, id) });
    }
    expect(refused?.statusCode).toBe(409);
    expect(refused?.json()).toEqual({ detail: expect.stringContaining('no deletion is old enough') as string });
    expect((await read(who)).json<{ items: unknown[] }>().items).toHaveLength(6);
  });

  it('allows 120 writes a minute per account, then 429 with Retry-After, whoever sends them', async () => {
    const who = await credentials();
    const itemId = randomItemId();
    const body = { envelope: await envelope(who, itemId, 'x') };
    expect((await put(who, itemId, 0, body)).statusCode).toBe(200);
    const statuses: number[] = [];
    // Replacing at a stale revision: each is a write attempt (409) and spends the budget all the same.
    for (let index = 1; index < 120; index++) {
      statuses.push((await put(who, itemId, 0, body)).statusCode);
    }
    expect(new Set(statuses)).toEqual(new Set([409]));
    const limited = await app.inject({
      method: 'PUT',
      url: `/api/v2/items/${itemId}`,
      headers: { authorization: `bearer ${who.token}`, 'if-match': '"1"' },
      remoteAddress: '192.0.2.77',
      payload: body,
    });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({ detail: expect.stringMatching(/^too many writes to this account/) as string });
    // Reads go on, and another account writes freely.
    expect((await read(who)).statusCode).toBe(200);
    const other = await credentials();
    const otherId = randomItemId();
    expect((await put(other, otherId, 0, { envelope: await envelope(other, otherId, 'y') })).statusCode).toBe(200);
  });

  it('pages with since and limit', async () => {
    const who = await credentials();
    for (let index = 0; index < 3; index++) {
      const itemId = randomItemId();
      await put(who, itemId, 0, { envelope: await envelope(who, itemId, String(index)) });
    }
    const first = (await app.inject({ url: '/api/v2/items?limit=2', headers: headers(who) })).json<{
      items: { seq: number }[];
      more: boolean;
      seq: number;
    }>();
    expect(first.items.map((item) => item.seq)).toEqual([1, 2]);
    expect(first.more).toBe(true);
    expect(first.seq).toBe(3);
    const rest = (await app.inject({ url: '/api/v2/items?since=2&limit=2', headers: headers(who) })).json<{
      items: { seq: number }[];
      more: boolean;
    }>();
    expect(rest.items.map((item) => item.seq)).toEqual([3]);
    expect(rest.more).toBe(false);
    for (const query of ['limit=0', 'limit=1001', 'since=-1', 'since=abc', 'limit=2.5']) {
      expect((await app.inject({ url: `/api/v2/items?${query}`, headers: headers(who) })).statusCode).toBe(400);
    }
  });

  it('keeps users apart and enforces the item quota (409)', async () => {
    const alice = await credentials();
    const bob = await credentials();
    const itemId = randomItemId();
    await put(alice, itemId, 0, { envelope: await envelope(alice, itemId, 'a') });
    expect((await app.inject({ url: '/api/v2/items', headers: headers(bob) })).json()).toMatchObject({ items: [] });
    for (let index = 0; index < 2; index++) {
      const id = randomItemId();
      expect((await put(alice, id, 0, { envelope: await envelope(alice, id, 'n') })).statusCode).toBe(200);
    }
    const full = await put(alice, randomItemId(), 0, { envelope: await envelope(alice, 'x', 'n') });
    expect(full.statusCode).toBe(409);
    expect(full.json()).toEqual({ detail: 'a user can store at most 3 items' });
  });

  it.each([
    ['a missing envelope', {}],
    ['an envelope without the prefix', { envelope: 'abc' }],
    ['an envelope with other characters', { envelope: 'o2fa2.abc def' }],
    ['an envelope over 8192 characters', { envelope: `o2fa2.${'A'.repeat(8190)}` }],
  ])('rejects %s with 422', async (_label, body) => {
    const who = await credentials();
    expect((await put(who, randomItemId(), 0, body)).statusCode).toBe(422);
  });

  it.each(['short', 'x'.repeat(65), 'bad$char-AAAAAAAAAAAAA'])('rejects the item id %j with 400', async (itemId) => {
    const who = await credentials();
    expect((await put(who, itemId, 0, { envelope: 'o2fa2.AAAA' })).statusCode).toBe(400);
  });
});
