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

describe('v2 authentication', () => {
  it('binds the token on the first write, never on a read, and answers 401 to another token', async () => {
    const owner = await credentials();
    const mistyped = { ...(await credentials()), id: owner.id };
    // A read with a wrong Secret binds nothing, so the owner can still bind theirs.
    const read = await app.inject({ url: '/api/v2/items', headers: headers(mistyped) });
    expect(read.json()).toEqual({ items: [], seq: 0, more: false });
    const itemId = randomItemId();
    expect((await put(owner, itemId, 0, { envelope: await envelope(owner, itemId, 'first') })).statusCode).toBe(200);
    for (const request of [
      app.inject({ url: '/api/v2/items', headers: headers(mistyped) }),
      put(mistyped, randomItemId(), 0, { envelope: await envelope(mistyped, 'x', 'n') }),
    ]) {
      const refused = await request;
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual({ detail: 'wrong auth token for this Open2FA ID' });
      expect(refused.headers['www-authenticate']).toBe('Bearer');
    }
    expect((await app.inject({ url: '/api/v2/items', headers: headers(owner) })).json()).toMatchObject({ seq: 1 });
  });

  it.each([
    ['no token', { 'x-user-hash': 'GiG4Xz1tmTnG3CVh38raYX' }, 401],
    ['a malformed token', { 'x-user-hash': 'GiG4Xz1tmTnG3CVh38raYX', authorization: 'Bearer short' }, 401],
    ['Basic auth', { 'x-user-hash': 'GiG4Xz1tmTnG3CVh38raYX', authorization: 'Basic dXNlcjpwYXNz' }, 401],
    ['no ID', { authorization: `Bearer ${'a'.repeat(43)}` }, 400],
  ])('refuses %s', async (_label, requestHeaders, status) => {
    const response = await app.inject({ url: '/api/v2/items', headers: requestHeaders });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toHaveProperty('detail');
  });

  it('leaves v1 untouched: the token is not needed there', async () => {
    const owner = await credentials();
    const itemId = randomItemId();
    await put(owner, itemId, 0, { envelope: await envelope(owner, itemId, 'v2 entry') });
    const v1 = await app.inject({ url: '/api/v1/totps', headers: { 'x-user-hash': owner.id } });
    expect(v1.json()).toEqual({ totps: [] });
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

  it('deletes into a tombstone, which changes carry and an edit can overwrite', async () => {
    const who = await credentials();
    const itemId = randomItemId();
    await put(who, itemId, 0, { envelope: await envelope(who, itemId, 'x') });
    const staleDelete = await app.inject({
      method: 'DELETE',
      url: `/api/v2/items/${itemId}`,
      headers: headers(who, { 'if-match': '"0"' }),
    });
    expect(staleDelete.statusCode).toBe(409);
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v2/items/${itemId}`,
      headers: headers(who, { 'if-match': '"1"' }),
    });
    expect(deleted.json()).toEqual({ item: { id: itemId, rev: 2, seq: 2, deleted: true, envelope: null }, seq: 2 });
    const changes = await app.inject({ url: '/api/v2/items?since=1', headers: headers(who) });
    expect(changes.json()).toEqual({
      items: [{ id: itemId, rev: 2, seq: 2, deleted: true, envelope: null }],
      seq: 2,
      more: false,
    });
    const unknown = await app.inject({
      method: 'DELETE',
      url: `/api/v2/items/${randomItemId()}`,
      headers: headers(who, { 'if-match': '"1"' }),
    });
    expect(unknown.statusCode).toBe(404);
    expect((await put(who, itemId, 2, { envelope: await envelope(who, itemId, 'back') })).json()).toMatchObject({
      item: { rev: 3, deleted: false },
    });
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
