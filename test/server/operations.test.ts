import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { CachedStats, registerMetrics } from '../../src/server/plugins/metrics-plugin.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

let app: FastifyInstance;
let store: Store;

beforeEach(async () => {
  store = await openStore({ databaseUrl: 'sqlite::memory:' });
  app = await buildApp({ store, metricsToken: 'scrape-me' });
});
afterEach(async () => {
  await app.close();
  await store.close();
});

interface Operation {
  summary?: string;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  parameters?: { name: string; in: string }[];
}

describe('OpenAPI', () => {
  it('documents every API route with request and response schemas', async () => {
    const response = await app.inject('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json<{
      openapi: string;
      info: { version: string };
      paths: Record<string, Record<string, Operation>>;
    }>();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+/);
    // The API and operations routes; the web page's routes are not API and may stay out.
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/') || path === '/healthz' || path === '/readyz')
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        'GET /api/v1',
        'GET /api/v1/totps',
        'POST /api/v1/totps',
        'DELETE /api/v1/totps',
        'DELETE /api/v1/account',
        'GET /api/v1/totps/{enc_secret}',
        'DELETE /api/v1/totp/{enc_secret}',
        'GET /api/v2/items',
        'PUT /api/v2/items/{id}',
        'DELETE /api/v2/items/{id}',
        'DELETE /api/v2/account',
        'GET /healthz',
        'GET /readyz',
      ].sort(),
    );
    for (const [path, item] of Object.entries(document.paths)) {
      if (path === '/') continue;
      for (const operation of Object.values(item)) {
        expect(operation.summary).toBeTruthy();
        if (path === '/metrics') continue; // Prometheus text, not JSON
        expect(operation.responses['200']?.content?.['application/json']?.schema).toBeTruthy();
      }
    }
    const push = document.paths['/api/v1/totps']?.post;
    expect(push?.requestBody?.content['application/json']?.schema).toMatchObject({ required: ['totps'] });
    expect(push?.parameters?.map((parameter) => `${parameter.in}:${parameter.name}`)).toContain('header:x-user-hash');
    for (const status of ['400', '404', '422', '429'])
      expect(push?.responses[status] ?? document.paths['/api/v1/totps']?.get?.responses[status]).toBeDefined();
  });

  it('serves a readable page without scripts under the strict CSP', async () => {
    const response = await app.inject('/api/docs');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('GET /api/v1/totps');
    expect(response.body).toContain('DELETE /api/v1/totps');
    expect(response.body).not.toMatch(/<script|style=/i);
    expect(String(response.headers['content-security-policy'])).toContain("script-src 'self'");
  });
});

describe('/metrics', () => {
  it('needs the bearer token when one is set', async () => {
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
  });

  it('does not exist without METRICS_TOKEN, whatever the spelling or the header', async () => {
    const closed = await buildApp({ store, processMetrics: false });
    try {
      for (const url of ['/metrics', '/metrics/', '/metrics?x=1', '/%6Detrics']) {
        for (const headers of [{}, { authorization: 'Bearer ' }, { authorization: 'Bearer undefined' }]) {
          const response = await closed.inject({ url, headers });
          expect(response.statusCode, url).toBe(404);
          expect(response.json()).toEqual({ detail: expect.any(String) as string });
          expect(response.body).not.toContain('open2fa_users');
        }
      }
    } finally {
      await closed.close();
    }
  });

  it('is rate limited like the API, wrong tokens included', async () => {
    const limited = await buildApp({ store, metricsToken: 'scrape-me', rateLimitMax: 3, processMetrics: false });
    try {
      const good = { authorization: 'Bearer scrape-me' };
      const statuses: number[] = [];
      for (const headers of [good, { authorization: 'Bearer guess' }, good, good, { authorization: 'Bearer guess' }]) {
        statuses.push((await limited.inject({ url: '/metrics', headers })).statusCode);
      }
      expect(statuses).toEqual([200, 401, 200, 429, 429]);
      const refused = await limited.inject({ url: '/metrics', headers: good });
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.json()).toEqual({ detail: expect.stringMatching(/too many requests/) as string });
    } finally {
      await limited.close();
    }
  });

  it('counts users and entries at most once a minute, however often it is scraped', async () => {
    let counts = 0;
    // Each count answers one more user, so a scrape shows which count it got.
    const counting = {
      stats: () => {
        counts++;
        return Promise.resolve({ users: counts, entries: 0 });
      },
    };
    let now = 1_000_000;
    const bare = Fastify();
    registerMetrics(bare, { store: counting, token: 't', processMetrics: false, now: () => now }).registerRoute(
      bare,
      0,
    );
    try {
      const scrape = async (): Promise<string> =>
        (await bare.inject({ url: '/metrics', headers: { authorization: 'Bearer t' } })).body;
      expect(await scrape()).toMatch(/^open2fa_users 1$/m);
      now += 59_999;
      const burst = await Promise.all([scrape(), scrape(), scrape()]);
      for (const body of burst) expect(body).toMatch(/^open2fa_users 1$/m);
      expect(counts).toBe(1);
      now += 1;
      expect(await scrape()).toMatch(/^open2fa_users 2$/m);
      expect(await scrape()).toMatch(/^open2fa_users 2$/m);
      expect(counts).toBe(2);
    } finally {
      await bare.close();
    }
  });
});

describe('CachedStats', () => {
  it('shares one count between concurrent reads and forgets a failed one', async () => {
    let calls = 0;
    let fail = true;
    const source = {
      stats: async () => {
        calls++;
        await Promise.resolve();
        if (fail) throw new Error('database unavailable');
        return { users: 2, entries: 5 };
      },
    };
    const cache = new CachedStats(source, 60_000, () => 0);
    const failed = await Promise.allSettled([cache.read(), cache.read()]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    fail = false;
    expect(await cache.read()).toEqual({ users: 2, entries: 5 });
    expect(await cache.read()).toEqual({ users: 2, entries: 5 });
    expect(calls).toBe(2);
  });
});

describe('/metrics with a token', () => {
  it('exposes request durations by route, process metrics and counts after traffic', async () => {
    const headers = { 'x-user-hash': 'GiG4Xz1tmTnG3CVh38raYX' };
    await app.inject({
      method: 'POST',
      url: '/api/v1/totps',
      headers,
      payload: { totps: [{ enc_secret: 'a' }, { enc_secret: 'b' }] },
    });
    await app.inject({ method: 'GET', url: '/api/v1/totps', headers });
    await app.inject({ method: 'GET', url: '/api/v1/totps', headers: { 'x-user-hash': 'unknown' } });
    const response = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-me' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/totps",status_code="200"\} 1/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/totps",status_code="404"\} 1/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/api\/v1\/totps",status_code="200"\}/,
    );
    expect(text).toMatch(/^open2fa_users 1$/m);
    expect(text).toMatch(/^open2fa_entries 2$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    // Labels carry route patterns, never the identifiers in a request.
    expect(text).not.toContain('GiG4Xz1tmTnG3CVh38raYX');
  });
});
