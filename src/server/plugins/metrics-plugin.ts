import { timingSafeEqual, createHash } from 'node:crypto';
import { appendRouteHook } from './route-hooks.js';
import type { FastifyInstance, onSendHookHandler } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../../store/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived (metrics). */
    receivedAt: number;
  }
}

export interface MetricsOptions {
  readonly store: Store;
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Process metrics (CPU, memory, event loop); off in tests that build many apps. */
  readonly processMetrics?: boolean;
}

/**
 * Prometheus metrics at `/metrics`: a request-duration histogram by method, route pattern and status
 * (route patterns, never raw URLs, so no identifier becomes a label), process metrics, and gauges for
 * users and entries read from the store at scrape time.
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): void {
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

  const expected = options.token === undefined ? undefined : digest(`Bearer ${options.token}`);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (expected !== undefined && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ detail: 'metrics need a bearer token' });
    }
    const stats = await options.store.stats();
    users.set(stats.users);
    entries.set(stats.entries);
    return reply.type(registry.contentType).send(await registry.metrics());
  });
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
