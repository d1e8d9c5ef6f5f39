import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import type { Store } from '../store/store.js';
import { packageVersion } from '../package-info.js';
import { logsEachRequest, silentLogger } from './server-logger.js';
import cors from '@fastify/cors';
import { answerClientError, registerErrorHandler, toErrorAnswer } from './plugins/error-handler-plugin.js';
import { registerJsonBodyParser } from './plugins/json-body-parser.js';
import type { MetricsEndpoint } from './plugins/metrics-plugin.js';
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
  /** The server's logger (server-logger.ts); silent when absent (tests). */
  readonly log?: Logger;
  /** Entries a user may store (v1). */
  readonly maxEntriesPerUser?: number;
  /** Live items a user may store (v2). */
  readonly maxItemsPerUser?: number;
  /** Requests per minute per client address on /api (default 300; 0 disables). */
  readonly rateLimitMax?: number;
  /** Failed lookups per minute per client address (default 30; 0 disables). */
  readonly rateLimitFailedLookups?: number;
  /** v2 writes per minute per account (default 120; 0 disables, for tests that seed many items). */
  readonly rateLimitAccountWrites?: number;
  /** Shares rate-limit counters between instances. */
  readonly redis?: Redis;
  /** Bearer token that opens `/metrics`; without one there is no metrics endpoint (404). */
  readonly metricsToken?: string;
  /** Process metrics in `/metrics` (default on). */
  readonly processMetrics?: boolean;
  /** Limits of the HTTP server (defaults: 30 s, 5 s, 16 KiB). */
  readonly requestTimeoutMs?: number;
  readonly keepAliveTimeoutMs?: number;
  readonly maxHeaderBytes?: number;
  /** Strict-Transport-Security max-age in seconds; 0 or absent sends none. */
  readonly hstsMaxAge?: number;
  /** Origins allowed to call the API cross-site; CORS is off when empty. */
  readonly corsOrigins?: readonly string[];
  /** Fastify's trustProxy: whether X-Forwarded-For names the client (behind a reverse proxy). */
  readonly trustProxy?: boolean | number | readonly string[];
}

/**
 * Builds the HTTP application without listening, so tests drive it with `app.inject` and
 * `main.ts` owns the process (port, signals, logging destination).
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const log = options.log ?? silentLogger();
  // Typed as Fastify's logger, so the instance's type does not depend on pino's.
  const requestLog: FastifyBaseLogger = log;
  const maxHeaderBytes = options.maxHeaderBytes ?? 16_384;
  const app = Fastify({
    ...(logsEachRequest(log) ? { loggerInstance: requestLog } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    // A path parameter may be a whole v1 ciphertext (the legacy `/totp/{enc_secret}`), percent-encoded:
    // only the size of the request head bounds it (an over-long one is a 431, not a misleading 404).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: maxHeaderBytes },
    // Never trust a client-chosen request id: it would land in every log line.
    requestIdHeader: false,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    return503OnClosing: true,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    connectionTimeout: 60_000,
    http: { maxHeaderSize: maxHeaderBytes, connectionsCheckingInterval: 1000 },
    clientErrorHandler: answerClientError,
    // Router-level failures (a malformed URL, a path parameter over maxParamLength) skip the error
    // handler; answer them in the same JSON shape.
    frameworkErrors: (error, _request, reply) => {
      const answer = toErrorAnswer(error);
      void (reply as FastifyReply).code(answer.status).send({ detail: answer.detail });
    },
    trustProxy: toFastifyTrustProxy(options.trustProxy ?? false),
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandler(app, log);
  registerJsonBodyParser(app);
  // First, so that every route declared after it is observed; only when someone may read them.
  // prom-client (and the @opentelemetry/api it requires) is loaded only then: without a token it would
  // be idle memory that nothing reads.
  const metrics: MetricsEndpoint | undefined =
    options.metricsToken === undefined
      ? undefined
      : (await import('./plugins/metrics-plugin.js')).registerMetrics(app, {
          store: options.store,
          token: options.metricsToken,
          ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }),
        });
  registerOpenApi(app, packageVersion());
  registerSecurityHeaders(app, { hstsMaxAge: options.hstsMaxAge ?? 0 });
  if (options.corsOrigins !== undefined && options.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...options.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['content-type', 'x-user-hash', 'authorization', 'if-match'],
      maxAge: 600,
    });
  }
  await registerRateLimits(app, log, {
    max: options.rateLimitMax ?? 300,
    failedLookups: options.rateLimitFailedLookups ?? 30,
    ...(options.rateLimitAccountWrites === undefined ? {} : { accountWrites: options.rateLimitAccountWrites }),
    ...(options.redis === undefined ? {} : { redis: options.redis }),
  });
  metrics?.registerRoute(app, options.rateLimitMax ?? 300);
  await app.register(healthRoutes(options.store, log));

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
