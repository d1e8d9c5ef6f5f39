import { timingSafeEqual, createHash } from 'node:crypto';
import { appendRouteHook } from './route-hooks.js';
import type { FastifyInstance, onSendHookHandler } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Store, StoreStats } from '../../store/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived (metrics). */
    receivedAt: number;
  }
}

export interface MetricsOptions {
  readonly store: Pick<Store, 'stats'>;
  /** `/metrics` needs `Authorization: Bearer <token>`; without a token there is no metrics endpoint. */
  readonly token: string;
  /** Process metrics (CPU, memory, event loop); off in tests that build many apps. */
  readonly processMetrics?: boolean;
  /** How long the store's counts are reused (they cost a COUNT(*) each); default 60 s. */
  readonly statsTtlMs?: number;
  /** The clock of the counts' cache (tests). */
  readonly now?: () => number;
}

/** The metrics endpoint's route, declared after the rate limiter so that it is limited too. */
export interface MetricsEndpoint {
  /** Declares `GET /metrics`, limited to `rateLimitMax` scrapes a minute per address (0: no limit). */
  registerRoute(app: FastifyInstance, rateLimitMax: number): void;
}

export const STATS_TTL_MS = 60_000;

/**
 * Prometheus metrics at `/metrics`, for operators who set a token: a request-duration histogram by
 * method, route pattern and status (route patterns, never raw URLs, so no identifier becomes a label),
 * process metrics, and gauges for users and entries, counted at most once per `statsTtlMs`.
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): MetricsEndpoint {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const users = new Gauge({ name: 'open2fa_users', help: 'Users stored', registers: [registry] });
  const entries = new Gauge({ name: 'open2fa_entries', help: 'Entries stored', registers: [registry] });

  // The clock starts when the request arrives and stops when the answer is handed to the socket
  // (onSend): hooks on the response's end would make Fastify attach listeners to every response.
  // Each route gets its own synchronous hook as it is declared, holding its label values, so a request
  // neither builds a label object nor reads routeOptions; requests that match no route are counted by
  // one global hook. (Routes declared before this plugin are not observed: register it first.)
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', (request, _reply, done) => {
    request.receivedAt = performance.now();
    done();
  });
  app.addHook('onRoute', (route) => {
    appendRouteHook(route, 'onSend', observer(duration, route.url));
  });
  const unmatched = observer(duration, 'unmatched');
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.is404) unmatched.call(app, request, reply, payload, done);
    else done(null, payload);
  });

  const stats = new CachedStats(options.store, options.statsTtlMs ?? STATS_TTL_MS, options.now ?? Date.now);
  const expected = digest(`Bearer ${options.token}`);
  return {
    registerRoute: (scope, rateLimitMax) => {
      scope.get(
        '/metrics',
        {
          schema: { hide: true },
          // @fastify/rate-limit (registered with global: false) limits routes that carry this config.
          config: rateLimitMax > 0 ? { rateLimit: { max: rateLimitMax, timeWindow: 60_000 } } : {},
        },
        async (request, reply) => {
          if (!timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
            return reply.code(401).header('www-authenticate', 'Bearer').send({ detail: 'metrics need a bearer token' });
          }
          const counts = await stats.read();
          users.set(counts.users);
          entries.set(counts.entries);
          return reply.type(registry.contentType).send(await registry.metrics());
        },
      );
    },
  };
}

/**
 * The store's counts, read at most once per `ttlMs`: each read is a COUNT(*) over the largest tables,
 * which a scrape every few seconds by several Prometheus servers should not repeat. Scrapes that arrive
 * while a count runs share it; a failed count is not kept, so the next scrape asks again.
 */
export class CachedStats {
  readonly #store: Pick<Store, 'stats'>;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #pending: Promise<StoreStats> | undefined;
  #readAt = 0;

  constructor(store: Pick<Store, 'stats'>, ttlMs: number, now: () => number = Date.now) {
    this.#store = store;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  read(): Promise<StoreStats> {
    const now = this.#now();
    if (this.#pending !== undefined && now - this.#readAt < this.#ttlMs) return this.#pending;
    this.#readAt = now;
    const pending = this.#store.stats();
    this.#pending = pending;
    pending.catch(() => {
      if (this.#pending === pending) this.#pending = undefined;
    });
    return pending;
  }
}

/** Fixed-length digests, so the comparison takes the same time whatever the token's length. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

type DurationHistogram = Histogram<'method' | 'route' | 'status_code'>;

/** An onSend hook observing one route's durations, with its label children made once per method and status. */
function observer(duration: DurationHistogram, route: string): onSendHookHandler {
  const children = new Map<string, { observe: (seconds: number) => void }>();
  return (request, reply, payload, done) => {
    const key = `${request.method} ${String(reply.statusCode)}`;
    let child = children.get(key);
    if (child === undefined) {
      child = duration.labels(request.method, route, String(reply.statusCode));
      children.set(key, child);
    }
    child.observe((performance.now() - request.receivedAt) / 1000);
    done(null, payload);
  };
}
