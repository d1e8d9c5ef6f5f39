import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import { openStore } from '../../src/store/open-store.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function app(options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const store = await openStore({ databaseUrl: 'sqlite::memory:' });
  const built = await buildApp({ store, processMetrics: false, ...options });
  closers.push(async () => {
    await built.close();
    await store.close();
  });
  return built;
}

/** Sends raw bytes and resolves with everything the server answers before closing. */
function rawExchange(origin: string, send: string, timeoutMs = 8000): Promise<string> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => {
      resolve(text);
    });
    socket.on('error', reject);
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.write(send);
  });
}

describe('transport security headers', () => {
  it('sends HSTS only when configured', async () => {
    expect((await (await app()).inject('/api/v1/')).headers['strict-transport-security']).toBeUndefined();
    const tls = await app({ hstsMaxAge: 31_536_000 });
    expect((await tls.inject('/api/v1/')).headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });
});

describe('CORS', () => {
  it('is off by default', async () => {
    const server = await app();
    const response = await server.inject({ url: '/api/v1/', headers: { origin: 'https://evil.example' } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows only the listed origins, preflight included', async () => {
    const server = await app({ corsOrigins: ['https://app.example'] });
    const allowed = await server.inject({ url: '/api/v1/', headers: { origin: 'https://app.example' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    const other = await server.inject({ url: '/api/v1/', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await server.inject({
      method: 'OPTIONS',
      url: '/api/v2/items',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization,if-match',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('if-match');
  });
});

describe('HTTP limits', () => {
  it('answers oversized headers with a JSON 431', async () => {
    const server = await app({ maxHeaderBytes: 4096 });
    const origin = await server.listen({ port: 0, host: '127.0.0.1' });
    const answer = await rawExchange(origin, `GET /api/v1/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toContain('{"detail":"request headers are larger than the limit"}');
  });

  it('answers a request that never finishes arriving with a JSON 408', async () => {
    const server = await app({ requestTimeoutMs: 1000 });
    const origin = await server.listen({ port: 0, host: '127.0.0.1' });
    const answer = await rawExchange(origin, 'GET /api/v1/ HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('{"detail":"the request took too long to arrive"}');
  });
});
