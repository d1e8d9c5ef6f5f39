import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../../store/store.js';

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

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status_code: reply.statusCode }, reply.elapsedTime / 1000);
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
