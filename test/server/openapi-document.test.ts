import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema: { readonly type?: string; readonly pattern?: string };
}
interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly security?: readonly Record<string, unknown>[];
  readonly responses: Readonly<Record<string, { readonly headers?: Readonly<Record<string, unknown>> }>>;
}
interface Document {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: { readonly securitySchemes: Readonly<Record<string, Readonly<Record<string, string>>>> };
}

let app: FastifyInstance;
let store: Store;
let document: Document;

beforeAll(async () => {
  store = await openStore({ databaseUrl: 'sqlite::memory:' });
  app = await buildApp({ store, processMetrics: false });
  document = (await app.inject('/api/openapi.json')).json<Document>();
});
afterAll(async () => {
  await app.close();
  await store.close();
});

function operation(method: string, path: string): Operation {
  const found = document.paths[path]?.[method];
  if (found === undefined) throw new Error(`${method} ${path} is not documented`);
  return found;
}

function parameter(method: string, path: string, name: string): Parameter | undefined {
  return operation(method, path).parameters?.find((candidate) => candidate.name === name);
}

describe('the OpenAPI document says what the server does (issue #19)', () => {
  it('names the credentials: an X-User-Hash API key on v1, a bearer token on v2, one for /metrics', () => {
    expect(document.components.securitySchemes).toMatchObject({
      userHash: { type: 'apiKey', in: 'header', name: 'X-User-Hash' },
      bearerAuth: { type: 'http', scheme: 'bearer' },
      metricsToken: { type: 'http', scheme: 'bearer' },
    });
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, described] of Object.entries(item)) {
        if (path.startsWith('/api/v1/')) expect(described.security, `${method} ${path}`).toEqual([{ userHash: [] }]);
        if (path.startsWith('/api/v2/')) expect(described.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      }
    }
    expect(parameter('get', '/api/v1/totps', 'x-user-hash')).toMatchObject({
      required: true,
      schema: { pattern: '^[A-Za-z0-9_-]{1,128}$' },
    });
  });

  it('requires a typed If-Match on v2 writes (428 when missing) and lists none on the read', () => {
    for (const method of ['put', 'delete']) {
      expect(parameter(method, '/api/v2/items/{id}', 'if-match')).toMatchObject({
        in: 'header',
        required: true,
        schema: { type: 'string', pattern: '^(?:W/)?"?\\d{1,9}"?$' },
      });
      expect(operation(method, '/api/v2/items/{id}').responses).toHaveProperty('428');
    }
    expect(parameter('get', '/api/v2/items', 'if-match')).toBeUndefined();
    expect(operation('get', '/api/v2/items').responses).not.toHaveProperty('428');
  });

  it('documents limit as 1 to 1000, exactly', () => {
    const limit = new RegExp(parameter('get', '/api/v2/items', 'limit')?.schema.pattern ?? '', 'u');
    for (const accepted of ['1', '9', '10', '500', '999', '1000']) expect(limit.test(accepted), accepted).toBe(true);
    for (const refused of ['0', '1001', '9999', '01', '-1', '', '2.5'])
      expect(limit.test(refused), refused).toBe(false);
  });

  it('lists /metrics with its 404 when no METRICS_TOKEN is configured and its 401 when one is', () => {
    const metrics = operation('get', '/metrics');
    expect(Object.keys(metrics.responses).sort()).toEqual(['200', '400', '401', '404', '408', '429', '431']);
    expect(metrics.security).toEqual([{ metricsToken: [] }]);
  });

  it('lists 400, 408 and 431 on every operation: Node answers them before any route runs, with no header', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    expect(operations.length).toBeGreaterThan(10);
    for (const listed of operations) {
      expect(Object.keys(listed.responses)).toEqual(expect.arrayContaining(['400', '408', '431']));
    }
    // /healthz documents no 400 of its own: what it gets is the HTTP server's, without rate-limit headers.
    const healthz = operation('get', '/healthz').responses;
    expect(healthz['408']).not.toHaveProperty('headers');
    expect(healthz['400']).not.toHaveProperty('headers');
    expect(operation('get', '/api/v2/items').responses['408']).not.toHaveProperty('headers');
  });

  it('lists the legacy 1.x routes', () => {
    expect(Object.keys(operation('get', '/api/v1/totps/{enc_secret}').responses)).toEqual(
      expect.arrayContaining(['200', '400', '404']),
    );
    expect(Object.keys(operation('delete', '/api/v1/totp/{enc_secret}').responses)).toEqual(
      expect.arrayContaining(['200', '400', '404']),
    );
  });

  it('documents the headers that come with a status: WWW-Authenticate on 401, Retry-After on 429 and 503', () => {
    const put = operation('put', '/api/v2/items/{id}').responses;
    expect(put['401']?.headers).toHaveProperty('WWW-Authenticate');
    expect(put['429']?.headers).toHaveProperty('Retry-After');
    expect(put['503']?.headers).toHaveProperty('Retry-After');
    expect(put['200']?.headers).toHaveProperty('X-RateLimit-Remaining');
  });

  it('shows the credentials and parameter schemas on the readable page', async () => {
    const page = (await app.inject('/api/docs')).body;
    expect(page).toContain('Credentials: <code>bearerAuth</code>');
    expect(page).toContain('<code>if-match</code> (header, required)');
    expect(page).toContain('GET /api/v1/totps/{enc_secret}');
    expect(page).not.toContain('<script');
  });
});
