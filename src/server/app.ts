import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import type { Store } from '../store/store.js';
import { packageVersion } from '../package-info.js';
import { registerErrorHandler } from './plugins/error-handler-plugin.js';
import { registerMetrics } from './plugins/metrics-plugin.js';
import { registerOpenApi } from './plugins/openapi-plugin.js';
import { registerRateLimits } from './plugins/rate-limit-plugin.js';
import { registerSecurityHeaders } from './plugins/security-headers-plugin.js';
import { healthRoutes } from './routes/health-routes.js';
import { v1Routes } from './routes/v1-routes.js';
import { v2Routes } from './routes/v2-routes.js';
import { webRoutes } from './routes/web-routes.js';
import { V1Service } from './services/v1-service.js';
import { V2Service } from './services/v2-service.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions {
  readonly store: Store;
  /** Fastify logger: `false` (tests) or pino options (main.ts). */
  readonly logger?: FastifyServerOptions['logger'];
  /** Entries a user may store (v1). */
  readonly maxEntriesPerUser?: number;
  /** Live items a user may store (v2). */
  readonly maxItemsPerUser?: number;
  /** Requests per minute per client address on /api (default 300; 0 disables). */
  readonly rateLimitMax?: number;
  /** Failed lookups per minute per client address (default 30; 0 disables). */
  readonly rateLimitFailedLookups?: number;
  /** Shares rate-limit counters between instances. */
  readonly redis?: Redis;
  /** Bearer token that protects `/metrics`; open when absent. */
  readonly metricsToken?: string;
  /** Process metrics in `/metrics` (default on). */
  readonly processMetrics?: boolean;
  /** Fastify's trustProxy: whether X-Forwarded-For names the client (behind a reverse proxy). */
  readonly trustProxy?: boolean | number | readonly string[];
}

/**
 * Builds the HTTP application without listening, so tests drive it with `app.inject` and
 * `main.ts` owns the process (port, signals, logging destination).
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Never trust a client-chosen request id: it would land in every log line.
    requestIdHeader: false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    return503OnClosing: true,
    trustProxy: toFastifyTrustProxy(options.trustProxy ?? false),
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandler(app);
  await registerOpenApi(app, packageVersion());
  registerSecurityHeaders(app);
  await registerRateLimits(app, {
    max: options.rateLimitMax ?? 300,
    failedLookups: options.rateLimitFailedLookups ?? 30,
    ...(options.redis === undefined ? {} : { redis: options.redis }),
  });
  registerMetrics(app, {
    store: options.store,
    ...(options.metricsToken === undefined ? {} : { token: options.metricsToken }),
    ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }),
  });
  await app.register(healthRoutes(options.store));

  const v1 = new V1Service(options.store, options.maxEntriesPerUser);
  await app.register(v1Routes(v1), { prefix: '/api/v1' });
  await app.register(v2Routes(new V2Service(options.store, options.maxItemsPerUser)), { prefix: '/api/v2' });
  await app.register(webRoutes());
  return app;
}

/** A hop count becomes "trust the nearest N proxies", the rule proxy-addr applies to numbers. */
function toFastifyTrustProxy(
  trustProxy: boolean | number | readonly string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  return typeof trustProxy === 'boolean' ? trustProxy : [...trustProxy];
}
