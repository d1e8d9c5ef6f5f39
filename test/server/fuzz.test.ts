import { connect } from 'node:net';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

/** Requests per CI run; `npm run fuzz` raises it for a longer campaign. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

let app: FastifyInstance;
let store: Store;
let origin: string;

beforeAll(async () => {
  store = await openStore({ databaseUrl: 'sqlite::memory:' });
  app = await buildApp({ store, rateLimitMax: 0, rateLimitFailedLookups: 0, processMetrics: false });
  origin = await app.listen({ port: 0, host: '127.0.0.1' });
  // Some real data, so hostile requests also meet existing users and items.
  await app.inject({
    method: 'POST',
    url: '/api/v1/totps',
    headers: { 'x-user-hash': 'GiG4Xz1tmTnG3CVh38raYX' },
    payload: { totps: [{ enc_secret: 'abc', name: 'x' }] },
  });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const PATHS = [
  '/',
  '/api/v1/',
  '/api/v1/totps',
  '/api/v2/items',
  '/api/v2/items/AAAAAAAAAAAAAAAAAAAAAA',
  '/healthz',
  '/readyz',
  '/metrics',
  '/api/openapi.json',
  '/api/docs',
  '/assets/x.js',
];

const hostileKeys = ['__proto__', 'constructor', 'prototype', 'totps', 'enc_secret', 'name', 'envelope'];

/** JSON nested `depth` levels deep, as text (deeper than any parser recursion we would want to trust). */
function deepJson(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

const bodyArbitrary = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc
    .dictionary(fc.constantFrom(...hostileKeys), fc.jsonValue({ maxDepth: 3 }))
    .map((value) => JSON.stringify(value).replace('"constructor"', '"__proto__"')),
  fc
    .record({
      totps: fc.array(
        fc.record({
          enc_secret: fc.oneof(
            fc.string(),
            fc.integer(),
            fc.constant(null),
            fc.string({ minLength: 4000, maxLength: 5000 }),
          ),
          name: fc.oneof(fc.string(), fc.constant(null), fc.boolean(), fc.string({ unit: 'grapheme', maxLength: 300 })),
        }),
        { maxLength: 5 },
      ),
    })
    .map((value) => JSON.stringify(value)),
  fc
    .record({
      envelope: fc.oneof(
        fc.string(),
        fc.string().map((s) => `o2fa2.${s}`),
      ),
    })
    .map((value) => JSON.stringify(value)),
  fc.integer({ min: 100, max: 20_000 }).map((depth) => deepJson(depth, '[', ']')),
  fc.integer({ min: 100, max: 5_000 }).map((depth) => deepJson(depth, '{"a":', '}').replace(/}$/, '1}')),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), // invalid UTF-8 inside JSON
  fc.constant(`{"totps":[${'{"enc_secret":"a"},'.repeat(60_000)}{"enc_secret":"b"}]}`), // > 1 MiB
);

const headerArbitrary = fc.record(
  {
    'x-user-hash': fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('GiG4Xz1tmTnG3CVh38raYX', '', ' ', 'a'.repeat(129)),
    ),
    authorization: fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom(`Bearer ${'A'.repeat(43)}`, 'Bearer', 'Basic x'),
    ),
    'if-match': fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('"0"', '"1"', 'W/"2"', '*', '"99999999999"')),
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-16',
      'text/plain',
      'application/octet-stream',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/json;;;',
    ),
    'content-encoding': fc.constantFrom('gzip', 'br', 'identity'),
    'x-forwarded-for': fc.string({ maxLength: 40 }),
    accept: fc.constantFrom('*/*', 'text/html', 'application/xml'),
  },
  { requiredKeys: [] },
);

const requestArbitrary = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  path: fc.oneof(
    fc.constantFrom(...PATHS),
    fc
      .tuple(fc.constantFrom(...PATHS), fc.string({ maxLength: 40 }))
      .map(([path, suffix]) => path + encodeURIComponent(suffix)),
    fc.constantFrom(
      '/api/v2/items/%00',
      '/api/v2/items/..%2F..%2Fetc%2Fpasswd',
      `/api/v2/items/${'A'.repeat(300)}`,
      '/%ff%fe',
    ),
  ),
  query: fc.oneof(
    fc.constant(''),
    fc.constantFrom(
      '?since=0',
      '?since=-1',
      '?since=1e9',
      '?limit=0',
      '?limit=99999',
      '?since=0&since=1',
      '?__proto__[x]=1',
    ),
    fc.string({ maxLength: 30 }).map((text) => `?${encodeURIComponent(text)}=${encodeURIComponent(text)}`),
  ),
  headers: headerArbitrary,
  body: bodyArbitrary,
});

describe('fuzzing every endpoint', () => {
  it(`answers ${String(RUNS)} malformed or hostile requests without a 5xx`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async (request) => {
        const response = await app.inject({
          method: request.method as 'GET',
          url: request.path + request.query,
          headers: request.headers,
          ...(request.body === undefined || request.method === 'GET' || request.method === 'HEAD'
            ? {}
            : { payload: request.body }),
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect(
          response.statusCode,
          `${request.method} ${request.path}${request.query} → ${response.body.slice(0, 200)}`,
        ).toBeLessThan(500);
        const type = String(response.headers['content-type'] ?? '');
        if (response.statusCode >= 400 && request.method !== 'HEAD') {
          expect(type).toContain('application/json');
          expect(Object.keys(response.json<object>())).toContain('detail');
          expect(response.body).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack trace
        }
      }),
      { numRuns: RUNS },
    );
    expect([...statuses.values()].reduce((sum, count) => sum + count, 0)).toBe(RUNS);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/readyz')).statusCode).toBe(200);
  });

  it('answers malformed HTTP on the socket with a JSON 4xx and stays up', async () => {
    const url = new URL(origin);
    const raw = [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n',
      `GET /api/v1/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      'POST /api/v1/totps HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
      'POST /api/v1/totps HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
    ];
    for (const request of raw) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname);
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('latin1')));
        socket.on('end', () => {
          resolve(text);
        });
        socket.on('error', reject);
        socket.setTimeout(5000, () => {
          socket.destroy();
          resolve(text);
        });
        socket.write(request);
      });
      expect(answer, request.slice(0, 40)).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answer).toMatch(/\{"detail":"[^"]+"\}$/);
    }
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
  });
});
