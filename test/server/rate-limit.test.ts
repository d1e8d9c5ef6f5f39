import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import { RecentFailures } from '../../src/server/plugins/rate-limit-plugin.js';
import { openStore } from '../../src/store/open-store.js';
import { connectTestRedis } from '../helpers/redis.js';

const apps: FastifyInstance[] = [];
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function app(options: Partial<AppOptions>): Promise<FastifyInstance> {
  const store = await openStore({ databaseUrl: 'sqlite::memory:' });
  closers.push(() => store.close());
  const built = await buildApp({ store, ...options });
  apps.push(built);
  return built;
}

/** A client address of its own per test, so counters never meet across tests or runs. */
function randomAddress(): string {
  const bytes = randomBytes(3);
  return `10.${String(bytes[0])}.${String(bytes[1])}.${String(bytes[2])}`;
}

function get(target: FastifyInstance, remoteAddress: string, hash: string) {
  return target.inject({ method: 'GET', url: '/api/v1/totps', remoteAddress, headers: { 'x-user-hash': hash } });
}

describe('the general ceiling', () => {
  it('answers 429 with Retry-After and a JSON detail past the limit, per address', async () => {
    const server = await app({ rateLimitMax: 5, rateLimitFailedLookups: 0 });
    const address = randomAddress();
    for (let index = 0; index < 5; index++) {
      const response = await server.inject({ method: 'GET', url: '/api/v1/', remoteAddress: address });
      expect(response.statusCode).toBe(200);
    }
    const limited = await server.inject({ method: 'GET', url: '/api/v1/', remoteAddress: address });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({ detail: expect.stringMatching(/^too many requests; retry in \d+ s$/) as string });
    const other = await server.inject({ method: 'GET', url: '/api/v1/', remoteAddress: randomAddress() });
    expect(other.statusCode).toBe(200);
  });

  it('does not limit the health endpoints', async () => {
    const server = await app({ rateLimitMax: 1 });
    const address = randomAddress();
    for (let index = 0; index < 3; index++) {
      expect((await server.inject({ method: 'GET', url: '/healthz', remoteAddress: address })).statusCode).toBe(200);
    }
  });
});

describe('the failed-lookup budget', () => {
  it('blocks an address after too many unknown IDs, even for a known one', async () => {
    const server = await app({ rateLimitMax: 0, rateLimitFailedLookups: 3 });
    const address = randomAddress();
    const known = 'GiG4Xz1tmTnG3CVh38raYX';
    await server.inject({
      method: 'POST',
      url: '/api/v1/totps',
      remoteAddress: address,
      headers: { 'x-user-hash': known },
      payload: { totps: [] },
    });
    // Successful lookups spend nothing.
    for (let index = 0; index < 5; index++) expect((await get(server, address, known)).statusCode).toBe(200);
    for (let index = 0; index < 3; index++) {
      expect((await get(server, address, randomBytes(8).toString('hex'))).statusCode).toBe(404);
    }
    const blocked = await get(server, address, known);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json()).toEqual({ detail: expect.stringMatching(/^too many failed lookups/) as string });
    expect((await get(server, randomAddress(), known)).statusCode).toBe(200);
  });

  it('counts forwarded addresses only when TRUST_PROXY says so', async () => {
    const trusting = await app({ rateLimitMax: 2, rateLimitFailedLookups: 0, trustProxy: true });
    const proxy = randomAddress();
    for (const client of [randomAddress(), randomAddress(), randomAddress()]) {
      const response = await trusting.inject({
        method: 'GET',
        url: '/api/v1/',
        remoteAddress: proxy,
        headers: { 'x-forwarded-for': client },
      });
      expect(response.statusCode).toBe(200);
    }
    const strict = await app({ rateLimitMax: 2, rateLimitFailedLookups: 0 });
    const statuses: number[] = [];
    for (const client of [randomAddress(), randomAddress(), randomAddress()]) {
      const response = await strict.inject({
        method: 'GET',
        url: '/api/v1/',
        remoteAddress: proxy,
        headers: { 'x-forwarded-for': client },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('RecentFailures (the in-memory precheck of the failed-lookup budget)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('remembers an address for one window after its last failure, then forgets it', () => {
    vi.useFakeTimers();
    const recent = new RecentFailures(60_000);
    expect(recent.has('10.0.0.1')).toBe(false);
    recent.add('10.0.0.1');
    vi.advanceTimersByTime(59_000);
    expect(recent.has('10.0.0.1')).toBe(true);
    recent.add('10.0.0.1'); // a new failure extends the window
    vi.advanceTimersByTime(59_000);
    expect(recent.has('10.0.0.1')).toBe(true);
    vi.advanceTimersByTime(2_000);
    expect(recent.has('10.0.0.1')).toBe(false);
  });

  it('drops expired addresses as new ones arrive, so many addresses cannot grow it forever', () => {
    vi.useFakeTimers();
    const recent = new RecentFailures(1_000);
    for (let index = 0; index < 1_000; index++) recent.add(`10.0.${String(index >> 8)}.${String(index & 255)}`);
    vi.advanceTimersByTime(1_001);
    recent.add('10.9.9.9');
    expect(recent.size).toBe(1);
  });

  it('stays bounded under a spray of addresses, and then checks every address rather than forget one', () => {
    vi.useFakeTimers();
    const recent = new RecentFailures(60_000, 100);
    for (let index = 0; index < 250; index++) recent.add(`10.1.${String(index >> 8)}.${String(index & 255)}`);
    expect(recent.size).toBe(100);
    // The forgotten first addresses, and never-seen ones, are still checked until the window ends.
    expect(recent.has('10.1.0.0')).toBe(true);
    expect(recent.has('192.0.2.1')).toBe(true);
    vi.advanceTimersByTime(60_001);
    expect(recent.has('192.0.2.1')).toBe(false);
  });
});

describe('shared counters with Redis', async () => {
  const redis: Redis | null = await connectTestRedis();
  afterAll(async () => {
    await redis?.quit();
  });

  it.skipIf(redis === null)('two instances share one budget', async () => {
    if (redis === null) return;
    const first = await app({ rateLimitMax: 4, rateLimitFailedLookups: 0, redis });
    const second = await app({ rateLimitMax: 4, rateLimitFailedLookups: 0, redis });
    const address = randomAddress();
    const statuses: number[] = [];
    for (const server of [first, second, first, second, first, second]) {
      statuses.push((await server.inject({ method: 'GET', url: '/api/v1/', remoteAddress: address })).statusCode);
    }
    // In memory each instance would allow 4 (all 200); shared, the 5th and 6th are refused.
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it.skipIf(redis === null)('failed lookups on one instance block lookups on the other', async () => {
    if (redis === null) return;
    const first = await app({ rateLimitMax: 0, rateLimitFailedLookups: 2, redis });
    const second = await app({ rateLimitMax: 0, rateLimitFailedLookups: 2, redis });
    const address = randomAddress();
    for (let index = 0; index < 2; index++) {
      expect((await get(first, address, randomBytes(8).toString('hex'))).statusCode).toBe(404);
    }
    // The second instance never saw this address fail, yet asks the shared counter and refuses.
    expect((await get(second, address, randomBytes(8).toString('hex'))).statusCode).toBe(429);
  });

  it.skipIf(redis === null)('without Redis each instance counts alone', async () => {
    const first = await app({ rateLimitMax: 2, rateLimitFailedLookups: 0 });
    const second = await app({ rateLimitMax: 2, rateLimitFailedLookups: 0 });
    const address = randomAddress();
    const statuses: number[] = [];
    for (const server of [first, second, first, second]) {
      statuses.push((await server.inject({ method: 'GET', url: '/api/v1/', remoteAddress: address })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
  });
});
