import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { Value } from 'typebox/value';
import { V1ListResponse } from '../../src/core/v1/wire.js';
import { userKey } from '../../src/server/services/user-key.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { openTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';

let app: FastifyInstance;
let store: Store;

beforeEach(async () => {
  store = await openStore({ databaseUrl: 'sqlite::memory:' });
  app = await buildApp({ store });
});
afterEach(async () => {
  await app.close();
  await store.close();
});

/** A random 32-hex user hash, as the original server's tests used. */
function randomHash(): string {
  return randomBytes(16).toString('hex');
}

function push(hash: string, totps: unknown[]) {
  return app.inject({ method: 'POST', url: '/api/v1/totps', headers: { 'x-user-hash': hash }, payload: { totps } });
}

describe('the open2fa 1.x server test cases', () => {
  it('index status', async () => {
    for (const url of ['/api/v1/', '/api/v1']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    }
  });

  it('no user hash → 400', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/totps' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ detail: 'Missing X-User-Hash header' });
  });

  it('no user found → 404', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': randomHash() },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'No user found for the given X-User-Hash header' });
  });

  it('create a totp without a name', async () => {
    const response = await push(randomHash(), [{ enc_secret: 'abc' }]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ user_created: true, totps: [{ enc_secret: 'abc', name: null }] });
  });

  it('user exists: first push creates, second does not', async () => {
    const hash = randomHash();
    expect((await push(hash, [{ enc_secret: 'a', name: 'one' }])).json()).toMatchObject({ user_created: true });
    const second = await push(hash, [{ enc_secret: 'b', name: 'two' }]);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({
      user_created: false,
      totps: [
        { enc_secret: 'a', name: 'one' },
        { enc_secret: 'b', name: 'two' },
      ],
    });
  });

  it('list totps in insertion order', async () => {
    const hash = randomHash();
    const totps = Array.from({ length: 5 }, (_, index) => ({
      enc_secret: `enc${String(index)}`,
      name: `n${String(index)}`,
    }));
    await push(hash, totps);
    const response = await app.inject({ method: 'GET', url: '/api/v1/totps', headers: { 'x-user-hash': hash } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ totps });
  });

  it('list answers the very bytes a serialiser would, in the documented schema', async () => {
    // The list is stored pre-serialised and sent as is: hold it to JSON.stringify and the schema.
    const hash = randomHash();
    const totps = [
      { enc_secret: 'a', name: 'Ünïcødé 🔐 "quoted" \\ back\nslash\u0001' },
      { enc_secret: 'b', name: null },
    ];
    await push(hash, totps);
    const response = await app.inject({ method: 'GET', url: '/api/v1/totps', headers: { 'x-user-hash': hash } });
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toBe(JSON.stringify({ totps }));
    expect(Value.Check(V1ListResponse, response.json())).toBe(true);
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body)));
  });

  it('delete answers the number deleted (not the number left, the 1.x bug)', async () => {
    const hash = randomHash();
    await push(hash, [{ enc_secret: 'a' }, { enc_secret: 'b' }, { enc_secret: 'c' }]);
    const response = await app.inject({
      method: 'DELETE',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': hash },
      payload: { totps: [{ enc_secret: 'a', name: 'ignored' }, { enc_secret: 'nope' }] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ deleted: 1 });
    // Deleting the last entries is persisted too (1.x silently rolled that back).
    const last = await app.inject({
      method: 'DELETE',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': hash },
      payload: { totps: [{ enc_secret: 'b' }, { enc_secret: 'c' }] },
    });
    expect(last.json()).toEqual({ deleted: 2 });
    const list = await app.inject({ method: 'GET', url: '/api/v1/totps', headers: { 'x-user-hash': hash } });
    expect(list.json()).toEqual({ totps: [] });
  });

  it('delete for an unknown user → 404', async () => {
    const response = await app.inject({
      method: 'DELETE',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': randomHash() },
      payload: { totps: [{ enc_secret: 'a' }] },
    });
    expect(response.statusCode).toBe(404);
  });

  it('upsert renames instead of duplicating; a missing name clears it', async () => {
    const hash = randomHash();
    await push(hash, [{ enc_secret: 'a', name: 'old' }]);
    expect((await push(hash, [{ enc_secret: 'a', name: 'new' }])).json()).toEqual({
      user_created: false,
      totps: [{ enc_secret: 'a', name: 'new' }],
    });
    expect((await push(hash, [{ enc_secret: 'a' }])).json()).toEqual({
      user_created: false,
      totps: [{ enc_secret: 'a', name: null }],
    });
  });

  it('accepts a trailing slash and any header case, as Starlette did', async () => {
    const hash = randomHash();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/totps/',
      headers: { 'X-USER-HASH': hash },
      payload: { totps: [{ enc_secret: 'a', name: null }] },
    });
    expect(response.statusCode).toBe(200);
  });

  it('accepts the base58 Open2FA ID the client sends', async () => {
    const response = await push('GiG4Xz1tmTnG3CVh38raYX', [{ enc_secret: 'a' }]);
    expect(response.statusCode).toBe(200);
  });
});

describe('account deletion (not in 1.x)', () => {
  it('erases every entry and the user (200 {"deleted": N}); unknown or no ID → 404 / 400', async () => {
    const hash = randomHash();
    const other = randomHash();
    await push(hash, [{ enc_secret: 'a' }, { enc_secret: 'b', name: 'B' }]);
    await push(other, [{ enc_secret: 'a' }]);
    const erased = await app.inject({ method: 'DELETE', url: '/api/v1/account', headers: { 'x-user-hash': hash } });
    expect(erased.statusCode).toBe(200);
    expect(erased.json()).toEqual({ deleted: 2 });
    expect(await store.listV1(userKey(hash))).toBeNull();
    expect((await app.inject({ url: '/api/v1/totps', headers: { 'x-user-hash': hash } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/totps', headers: { 'x-user-hash': other } })).json()).toEqual({
      totps: [{ enc_secret: 'a', name: null }],
    });
    const again = await app.inject({ method: 'DELETE', url: '/api/v1/account', headers: { 'x-user-hash': hash } });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ detail: 'No user found for the given X-User-Hash header' });
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/account' })).statusCode).toBe(400);
  });
});

describe('limits and malformed input: a clear 4xx, never a 5xx', () => {
  const hash = 'GiG4Xz1tmTnG3CVh38raYX';

  it.each([
    ['an empty hash', ''],
    ['a hash with spaces', 'a b'],
    ['a hash of 129 characters', 'a'.repeat(129)],
    ['a hash with punctuation', 'abc$'],
  ])('rejects %s with 400', async (_label, value) => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/totps', headers: { 'x-user-hash': value } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toHaveProperty('detail');
  });

  it('accepts a 128-character hash and 32 hex characters', async () => {
    expect((await push('a'.repeat(128), [])).statusCode).toBe(200);
    expect((await push(randomHash(), [])).statusCode).toBe(200);
  });

  it.each([
    ['no totps field', {}],
    ['totps not an array', { totps: 'x' }],
    ['an entry without enc_secret', { totps: [{ name: 'x' }] }],
    ['an empty enc_secret', { totps: [{ enc_secret: '' }] }],
    ['a number as enc_secret', { totps: [{ enc_secret: 5 }] }],
    ['a number as name', { totps: [{ enc_secret: 'a', name: 5 }] }],
    ['an enc_secret over 4096 characters', { totps: [{ enc_secret: 'a'.repeat(4097) }] }],
    ['a name over 255 characters', { totps: [{ enc_secret: 'a', name: 'n'.repeat(256) }] }],
    ['a NUL in a name', { totps: [{ enc_secret: 'a', name: 'a\u0000b' }] }],
    ['more than 1000 entries', { totps: Array.from({ length: 1001 }, (_, i) => ({ enc_secret: `e${String(i)}` })) }],
    ['an array body', [1, 2]],
  ])('rejects %s with 422', async (_label, payload) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': hash },
      payload,
    });
    expect(response.statusCode).toBe(422);
    expect(Object.keys(response.json<object>())).toEqual(['detail']);
    expect(await store.listV1(userKey(hash))).toBeNull();
  });

  it('accepts exactly the limits', async () => {
    const response = await push(hash, [
      { enc_secret: 'a'.repeat(4096), name: 'n'.repeat(255) },
      ...Array.from({ length: 999 }, (_, i) => ({ enc_secret: `e${String(i)}` })),
    ]);
    expect(response.statusCode).toBe(200);
  });

  it('refuses more than 1000 entries per user with 409 and writes nothing', async () => {
    await push(
      hash,
      Array.from({ length: 1000 }, (_, i) => ({ enc_secret: `e${String(i)}` })),
    );
    const response = await push(hash, [{ enc_secret: 'one-more' }]);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ detail: 'a user can store at most 1000 entries' });
  });

  it('malformed JSON → 400', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': hash, 'content-type': 'application/json' },
      payload: '{"totps": [',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ detail: 'request body is not valid JSON' });
  });

  it('a body over 1 MiB → 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': hash, 'content-type': 'application/json' },
      payload: JSON.stringify({ totps: [{ enc_secret: 'a', name: 'x'.repeat(1024 * 1024) }] }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ detail: 'request body is larger than the limit' });
  });

  it('a body of another media type → 415, plain text → 422', async () => {
    const xml = await app.inject({
      method: 'POST',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': hash, 'content-type': 'application/xml' },
      payload: '<totps/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toEqual({ detail: 'unsupported Content-Type; send application/json' });
    const text = await app.inject({
      method: 'POST',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': hash, 'content-type': 'text/plain' },
      payload: 'totps',
    });
    expect(text.statusCode).toBe(422);
  });

  it.each([
    ['__proto__', '{"totps":[{"enc_secret":"a","__proto__":{"polluted":true}}]}'],
    ['__proto__', '{"totps":[],"x":[[{"a":{"__proto__":1}}]]}'],
    ['__proto__', '{"totps":[{"enc_secret":"a","\\u005f_proto__":{"polluted":true}}]}'],
    ['constructor', '{"totps":[],"constructor":{"prototype":{"polluted":true}}}'],
    ['constructor', '{"totps":[{"enc_secret":"a","constructor":1}]}'],
    ['prototype', '{"totps":[{"enc_secret":"a","name":null,"prototype":{}}]}'],
  ])('refuses a key named %s anywhere in a body (valid JSON) with a 422 that says so', async (key, payload) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': hash, 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      detail: `request body has a key named "${key}"; keys named __proto__, constructor and prototype are refused`,
    });
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(await store.listV1(userKey(hash))).toBeNull();
  });

  it('takes those words as values, and a byte order mark before the JSON', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/totps',
      headers: { 'x-user-hash': hash, 'content-type': 'application/json' },
      payload: '\ufeff{"totps":[{"enc_secret":"__proto__","name":"constructor \\u0070rototype"}]}',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      user_created: true,
      totps: [{ enc_secret: '__proto__', name: 'constructor prototype' }],
    });
  });

  it('unknown paths → JSON 404', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/nope'],
      ['PUT', '/api/v1/nope'],
      ['GET', '/api/v3/items'],
    ] as const) {
      const response = await app.inject({ method, url });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Not Found' });
    }
  });

  it.each([
    ['PUT', '/api/v1/totps', 'GET, HEAD, POST, DELETE'],
    ['PATCH', '/api/v1/totps/', 'GET, HEAD, POST, DELETE'],
    ['GET', '/api/v1/totp/abc', 'DELETE'],
    ['POST', '/api/v1/totps/abc', 'GET, HEAD'],
    ['DELETE', '/api/v1', 'GET, HEAD'],
    ['POST', '/api/v2/items?limit=5', 'GET, HEAD'],
    ['PATCH', '/api/v2/items/AAAAAAAAAAAAAAAAAAAAAA', 'PUT, DELETE'],
    ['POST', '/healthz', 'GET, HEAD'],
  ] as const)('unknown method: %s %s → 405 with Allow: %s', async (method, url, allow) => {
    const response = await app.inject({ method, url, headers: { 'x-user-hash': hash } });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe(allow);
    expect(response.json()).toEqual({ detail: `method not allowed here; use ${allow}` });
  });
});

describe('headers', () => {
  it('sends the API security headers and no-store on API answers, errors included', async () => {
    for (const url of ['/api/v1/', '/api/v1/totps', '/api/v1/nope']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
      // JSON loads nothing: the strictest policy, not the page's.
      expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      // Page-only headers stay on pages.
      expect(response.headers['permissions-policy']).toBeUndefined();
      expect(response.headers['cross-origin-opener-policy']).toBeUndefined();
    }
  });

  it('sends the page headers, and no-store, on the API documentation', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(response.headers['permissions-policy']).toContain('camera=(self)');
    const csp = String(response.headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
  });
});

describe('the legacy one-entry routes of the 1.x server', () => {
  const hash = 'GiG4Xz1tmTnG3CVh38raYX';
  const read = (encSecret: string, headers: Record<string, string> = { 'x-user-hash': hash }) =>
    app.inject({ method: 'GET', url: `/api/v1/totps/${encodeURIComponent(encSecret)}`, headers });
  const remove = (encSecret: string, headers: Record<string, string> = { 'x-user-hash': hash }) =>
    app.inject({ method: 'DELETE', url: `/api/v1/totp/${encodeURIComponent(encSecret)}`, headers });

  it('GET /totps/{enc_secret} answers the entry, or 404 in 1.x words', async () => {
    const token = 'gAAAAABlq_ia8qJoDt5weWB_BKoOOrhh-FNQHwyVnV0reVIKGH74chN_PCkdWz3MR_TFOzsBqRGCvcpvHf8=';
    await push(hash, [{ enc_secret: token, name: 'GitHub' }, { enc_secret: 'a/b?c#d' }]);
    const found = await read(token);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({ enc_secret: token, name: 'GitHub' });
    expect((await read('a/b?c#d')).json()).toEqual({ enc_secret: 'a/b?c#d', name: null });
    const missing = await read('nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'No TOTP found for the given user with this enc_secret' });
    const stranger = await read(token, { 'x-user-hash': randomHash() });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toEqual({ detail: 'No user found for the given X-User-Hash header' });
    const anonymous = await read(token, {});
    expect(anonymous.statusCode).toBe(400);
    expect(anonymous.json()).toEqual({ detail: 'Missing X-User-Hash header' });
  });

  it('DELETE /totp/{enc_secret} deletes that entry only and answers {"success": true}', async () => {
    await push(hash, [{ enc_secret: 'one' }, { enc_secret: 'two', name: 'kept' }]);
    const deleted = await remove('one');
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ success: true });
    expect((await read('one')).statusCode).toBe(404);
    const again = await remove('one');
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({ detail: 'No TOTP found for the given user with this enc_secret' });
    expect((await remove('two', { 'x-user-hash': randomHash() })).statusCode).toBe(404);
    expect((await remove('two', {})).statusCode).toBe(400);
    const list = await app.inject({ method: 'GET', url: '/api/v1/totps', headers: { 'x-user-hash': hash } });
    expect(list.json()).toEqual({ totps: [{ enc_secret: 'two', name: 'kept' }] });
  });

  it('takes an enc_secret up to the 4096-character limit in the path, and refuses one over it', async () => {
    const longest = 'x'.repeat(4096);
    await push(hash, [{ enc_secret: longest }]);
    expect((await read(longest)).json()).toEqual({ enc_secret: longest, name: null });
    const over = await read(`${longest}x`);
    expect(over.statusCode).toBe(400);
    expect(over.json()).toHaveProperty('detail');
    expect((await remove(longest)).json()).toEqual({ success: true });
  });

  it('still answers the list with a trailing slash', async () => {
    await push(hash, [{ enc_secret: 'a' }]);
    const list = await app.inject({ method: 'GET', url: '/api/v1/totps/', headers: { 'x-user-hash': hash } });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ totps: [{ enc_secret: 'a', name: null }] });
  });
});

const DIALECTS = await testDialects();

for (const dialect of DIALECTS) {
  describe(`lone UTF-16 surrogates on ${dialect}`, () => {
    let database: TestDatabase;
    let dialectApp: FastifyInstance;
    const hash = 'GiG4Xz1tmTnG3CVh38raYX';

    beforeEach(async () => {
      database = await openTestDatabase(dialect);
      dialectApp = await buildApp({ store: database.store, rateLimitMax: 0, rateLimitFailedLookups: 0 });
    });
    afterEach(async () => {
      await dialectApp.close();
      await database.dispose();
    });

    const pushRaw = (payload: string) =>
      dialectApp.inject({
        method: 'POST',
        url: '/api/v1/totps',
        headers: { 'x-user-hash': hash, 'content-type': 'application/json' },
        payload,
      });

    // Two different lone surrogates would both be stored as U+FFFD: one entry, not what was sent.
    it.each([
      ['a lone high surrogate in enc_secret', '{"totps":[{"enc_secret":"a\\ud800"}]}'],
      ['a lone low surrogate in enc_secret', '{"totps":[{"enc_secret":"a\\udc00"}]}'],
      ['a reversed pair in enc_secret', '{"totps":[{"enc_secret":"\\udc00\\ud800"}]}'],
      ['a lone surrogate in a name', '{"totps":[{"enc_secret":"a","name":"x\\udbff"}]}'],
    ])('refuses %s with 422 and stores nothing', async (_label, payload) => {
      const response = await pushRaw(payload);
      expect(response.statusCode).toBe(422);
      expect(Object.keys(response.json<object>())).toEqual(['detail']);
      expect(await database.store.listV1(userKey(hash))).toBeNull();
    });

    it('keeps surrogate pairs (emoji, astral characters) exactly, in the list and the legacy route', async () => {
      const encSecret = 'gAAAA🔐𝄞';
      const name = 'Bank 🏦 \ud83d\ude00';
      expect((await pushRaw(JSON.stringify({ totps: [{ enc_secret: encSecret, name }] }))).statusCode).toBe(200);
      const list = await dialectApp.inject({ url: '/api/v1/totps', headers: { 'x-user-hash': hash } });
      expect(list.json()).toEqual({ totps: [{ enc_secret: encSecret, name }] });
      const one = await dialectApp.inject({
        url: `/api/v1/totps/${encodeURIComponent(encSecret)}`,
        headers: { 'x-user-hash': hash },
      });
      expect(one.json()).toEqual({ enc_secret: encSecret, name });
    });
  });
}
