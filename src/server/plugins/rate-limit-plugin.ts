import rateLimit from '@fastify/rate-limit';
import { appendRouteHook } from './route-hooks.js';
import type { FastifyInstance, onSendHookHandler, preHandlerHookHandler } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

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
export async function registerRateLimits(app: FastifyInstance, log: Logger, options: RateLimitOptions): Promise<void> {
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
    // In memory, this instance holds the only counters: an address with no failure recorded in the
    // window has nothing to check, and a successful lookup (the common case) skips the store.
    // With Redis, other instances count too, so every lookup asks the shared store.
    const recentFailures = options.redis === undefined ? new RecentFailures(timeWindow) : undefined;
    const precheck: preHandlerHookHandler = (request, reply, done) => {
      if (recentFailures !== undefined && !recentFailures.has(request.ip)) {
        done();
        return;
      }
      budget(request, { increment: false }).then(
        (state) => {
          if (state.isAllowed || state.remaining > 0) {
            done();
            return;
          }
          const seconds = String(Math.max(1, state.ttlInSeconds));
          void reply.header('retry-after', seconds);
          done(new TooManyRequests(`too many failed lookups; retry in ${seconds} s`));
        },
        (error: unknown) => {
          done(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
    // Counted before the answer leaves (onSend), so a client never sees its failure before the counter
    // does; only failures wait for the store, and nothing attaches to the response's end.
    const count: onSendHookHandler = (request, reply, payload, done) => {
      if (reply.statusCode !== 404 && reply.statusCode !== 401) {
        done(null, payload);
        return;
      }
      recentFailures?.add(request.ip);
      budget(request).then(
        () => {
          done(null, payload);
        },
        (error: unknown) => {
          log.warn({ reqId: request.id, err: error }, 'failed-lookup counter unavailable');
          done(null, payload);
        },
      );
    };
    // Only on lookup routes, attached as each is declared: other routes pay nothing per request.
    app.addHook('onRoute', (route) => {
      if (route.config?.lookup !== true) return;
      appendRouteHook(route, 'preHandler', precheck);
      appendRouteHook(route, 'onSend', count);
    });
  }
}

/** Addresses remembered at most; past it the precheck asks the counter for everyone (see `add`). */
const RECENT_FAILURES_LIMIT = 50_000;

/**
 * Addresses with a failed lookup in the last window, oldest first. Expired ones are pruned as new ones
 * arrive. Under a spray of more addresses than `limit` in one window, the oldest are forgotten and,
 * for the rest of that window, `has` answers true for every address: the precheck then asks the
 * counter each time, so forgetting an address can never let it skip the check.
 */
export class RecentFailures {
  readonly #windowMs: number;
  readonly #limit: number;
  readonly #until = new Map<string, number>();
  #overflowUntil = 0;

  constructor(windowMs: number, limit: number = RECENT_FAILURES_LIMIT) {
    this.#windowMs = windowMs;
    this.#limit = limit;
  }

  /** Addresses remembered (expired ones linger until the next `add` prunes them). */
  get size(): number {
    return this.#until.size;
  }

  has(address: string): boolean {
    const now = Date.now();
    if (this.#overflowUntil > now) return true;
    const until = this.#until.get(address);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#until.delete(address);
    return false;
  }

  add(address: string): void {
    const now = Date.now();
    // Re-inserted at the end, so the map stays ordered by expiry and the expired sit in front.
    this.#until.delete(address);
    this.#until.set(address, now + this.#windowMs);
    for (const [oldest, until] of this.#until) {
      if (until > now && this.#until.size <= this.#limit) break;
      if (until > now) this.#overflowUntil = until;
      this.#until.delete(oldest);
    }
  }
}
