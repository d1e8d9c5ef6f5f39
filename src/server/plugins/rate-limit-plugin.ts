import rateLimit from '@fastify/rate-limit';
import { clientKey } from './client-address.js';
import { appendRouteHook, routedPath } from './route-hooks.js';
import { MemoryWindowCounters, RedisWindowCounters, type WindowCounters } from './window-counters.js';
import type { FastifyInstance, FastifyRequest, onSendHookHandler, preHandlerHookHandler } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A 404 or 401 from this route (or `request.lookupFailed`) spends the client's failed-lookup budget. */
    lookup?: boolean;
    /**
     * A write to a v2 account: the key of the account's write budget, from the request's Authorization
     * header, or undefined when it names no account (the request is refused with 401 anyway).
     */
    accountWrite?: (authorization: string | undefined) => string | undefined;
  }
  interface FastifyRequest {
    /** Set by a lookup route that answers 200 although it found nothing (a v2 read of an unknown account). */
    lookupFailed: boolean;
  }
}

export interface RateLimitOptions {
  /** Requests per window per client address; 0 disables the ceiling. */
  readonly max: number;
  /** Failed lookups (unknown ID or account, wrong token) per window per client address; 0 disables the budget. */
  readonly failedLookups: number;
  /** v2 writes (PUT and DELETE) per window per account (default 120); 0 disables the budget. */
  readonly accountWrites?: number;
  readonly windowMs?: number;
  /** Shared counters for several instances; in memory when absent. */
  readonly redis?: Redis;
}

const ONE_MINUTE = 60_000;
const DEFAULT_ACCOUNT_WRITES = 120;
const API_PREFIX = '/api/';

class TooManyRequests extends Error {
  readonly statusCode = 429;
}

/**
 * Three limits, each answering 429 with `Retry-After`: a general ceiling on every API request per
 * client address, a strict budget of failed lookups per address so nobody can enumerate Open2FA IDs or
 * tokens, and a write budget per v2 account. Addresses are counted by `clientKey` (an IPv6 client by
 * its /64). With Redis the counters are shared by every instance; if Redis is unreachable requests are
 * let through (a rate-limit outage must not lock people out of their codes) and the error is logged.
 */
export async function registerRateLimits(app: FastifyInstance, log: Logger, options: RateLimitOptions): Promise<void> {
  const timeWindow = options.windowMs ?? ONE_MINUTE;
  const keyGenerator = (request: FastifyRequest): string => clientKey(request.ip);
  await app.register(rateLimit, {
    global: false,
    timeWindow,
    skipOnError: true,
    keyGenerator,
    ...(options.redis === undefined ? {} : { redis: options.redis, nameSpace: 'open2fa-rl:' }),
    errorResponseBuilder: (_request, context) =>
      new TooManyRequests(`too many requests; retry in ${String(Math.max(1, Math.ceil(context.ttl / 1000)))} s`),
  });
  app.decorateRequest('lookupFailed', false);

  if (options.max > 0) {
    const ceiling = app.rateLimit({ max: options.max, timeWindow, keyGenerator });
    // The path the router chose, not the raw URL (route-hooks.ts): `/%61pi/…` is an API request too.
    app.addHook('onRequest', async (request, reply) => {
      if (routedPath(request).startsWith(API_PREFIX)) await ceiling.call(app, request, reply);
    });
  }
  const counters = (prefix: string): WindowCounters =>
    options.redis === undefined
      ? new MemoryWindowCounters(timeWindow)
      : new RedisWindowCounters(options.redis, `open2fa-rl:${prefix}:`, timeWindow);
  const lookupHooks = options.failedLookups > 0 ? failedLookupHooks(log, options.failedLookups, counters('fl')) : null;
  const accountWrites = options.accountWrites ?? DEFAULT_ACCOUNT_WRITES;
  const writes = accountWrites > 0 ? counters('aw') : null;

  // Only on the routes that need them, attached as each is declared: other routes pay nothing per request.
  app.addHook('onRoute', (route) => {
    const accountWrite = route.config?.accountWrite;
    if (writes !== null && accountWrite !== undefined) {
      appendRouteHook(route, 'preHandler', writeBudgetHook(log, accountWrites, writes, accountWrite));
    }
    if (lookupHooks !== null && route.config?.lookup === true) {
      appendRouteHook(route, 'preHandler', lookupHooks.reserve);
      appendRouteHook(route, 'onSend', lookupHooks.settle);
    }
  });
}

/**
 * The failed-lookup budget, reserved before the lookup and given back once the answer is known to be a
 * success. Counting only after the answer let any number of parallel or pipelined guesses through
 * before the first was counted; reserving first means at most `max` lookups per address can be failing
 * or in flight in one window, however they arrive.
 */
function failedLookupHooks(
  log: Logger,
  max: number,
  counters: WindowCounters,
): { reserve: preHandlerHookHandler; settle: onSendHookHandler } {
  const reservations = new WeakMap<FastifyRequest, { key: string; window: number }>();
  const reserve: preHandlerHookHandler = (request, reply, done) => {
    const key = clientKey(request.ip);
    counters.add(key).then(
      (state) => {
        if (state.count <= max) {
          reservations.set(request, { key, window: state.window });
          done();
          return;
        }
        const seconds = String(Math.max(1, Math.ceil(state.resetMs / 1000)));
        void reply.header('retry-after', seconds);
        done(new TooManyRequests(`too many failed lookups; retry in ${seconds} s`));
      },
      (error: unknown) => {
        log.warn({ reqId: request.id, err: error }, 'failed-lookup counter unavailable');
        done();
      },
    );
  };
  // Settled before the answer leaves (onSend), so a client never sees its success before the refund.
  const settle: onSendHookHandler = (request, reply, payload, done) => {
    const reservation = reservations.get(request);
    reservations.delete(request);
    const failed = reply.statusCode === 404 || reply.statusCode === 401 || request.lookupFailed;
    if (reservation === undefined || failed) {
      done(null, payload);
      return;
    }
    counters.remove(reservation.key, reservation.window).then(
      () => {
        done(null, payload);
      },
      (error: unknown) => {
        log.warn({ reqId: request.id, err: error }, 'failed-lookup counter unavailable');
        done(null, payload);
      },
    );
  };
  return { reserve, settle };
}

/** At most `max` writes per window to one v2 account, whoever sends them. */
function writeBudgetHook(
  log: Logger,
  max: number,
  counters: WindowCounters,
  accountOf: (authorization: string | undefined) => string | undefined,
): preHandlerHookHandler {
  return (request, reply, done) => {
    const account = accountOf(request.headers.authorization);
    if (account === undefined) {
      done();
      return;
    }
    counters.add(account).then(
      (state) => {
        if (state.count <= max) {
          done();
          return;
        }
        const seconds = String(Math.max(1, Math.ceil(state.resetMs / 1000)));
        void reply.header('retry-after', seconds);
        done(new TooManyRequests(`too many writes to this account; retry in ${seconds} s`));
      },
      (error: unknown) => {
        log.warn({ reqId: request.id, err: error }, 'account write counter unavailable');
        done();
      },
    );
  };
}
