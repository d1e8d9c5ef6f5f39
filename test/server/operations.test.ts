import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
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
        'GET /api/v1/totps/{enc_secret}',
        'DELETE /api/v1/totp/{enc_secret}',
        'GET /api/v2/items',
        'PUT /api/v2/items/{id}',
        'DELETE /api/v2/items/{id}',
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
