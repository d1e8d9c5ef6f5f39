import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A 404 or 401 from this route spends the client's failed-lookup budget. */
    lookup?: boolean;
  }
}

export interface RateLimitOptions {
  /** Requests per window per client address; 0 disables the ceiling. */
  readonly max: number;
  /** Failed lookups (unknown ID, wrong token) per window per client address; 0 disables the budget. */
  readonly failedLookups: number;
  readonly windowMs?: number;
  /** Shared counters for several instances; in memory when absent. */
  readonly redis?: Redis;
}

const ONE_MINUTE = 60_000;

class TooManyRequests extends Error {
  readonly statusCode = 429;
}

/**
 * Two limits per client address: a general ceiling on every API request, and a strict budget for
 * failed lookups so nobody can enumerate Open2FA IDs. Both answer 429 with `Retry-After`. With Redis
 * the counters are shared by every instance; if Redis is unreachable requests are let through (a
 * rate-limit outage must not lock people out of their codes) and the error is logged.
 */
export async function registerRateLimits(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const timeWindow = options.windowMs ?? ONE_MINUTE;
  await app.register(rateLimit, {
    global: false,
    timeWindow,
    skipOnError: true,
    ...(options.redis === undefined ? {} : { redis: options.redis, nameSpace: 'open2fa-rl:' }),
    errorResponseBuilder: (_request, context) =>
      new TooManyRequests(`too many requests; retry in ${String(Math.max(1, Math.ceil(context.ttl / 1000)))} s`),
  });

  if (options.max > 0) {
    const ceiling = app.rateLimit({ max: options.max, timeWindow });
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith('/api/')) await ceiling.call(app, request, reply);
    });
  }

  if (options.failedLookups > 0) {
    const budget = app.createRateLimit({
      max: options.failedLookups,
      timeWindow,
      skipOnError: true,
      keyGenerator: (request) => `failed-lookup:${request.ip}`,
    });
    app.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.config.lookup !== true) return;
      const state = await budget(request, { increment: false });
      if (!state.isAllowed && state.remaining === 0) {
        void reply.header('retry-after', String(Math.max(1, state.ttlInSeconds)));
        throw new TooManyRequests(`too many failed lookups; retry in ${String(Math.max(1, state.ttlInSeconds))} s`);
      }
    });
    app.addHook('onResponse', async (request, reply) => {
      if (request.routeOptions.config.lookup === true && (reply.statusCode === 404 || reply.statusCode === 401)) {
        await budget(request).catch((error: unknown) => {
          request.log.warn({ err: error }, 'failed-lookup counter unavailable');
        });
      }
    });
  }
}
