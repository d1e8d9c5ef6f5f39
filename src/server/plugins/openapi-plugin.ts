import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { renderApiDocs, type OpenApiDocument } from './api-docs-page.js';

/** The credentials of the API, named by each operation's `security` (declared in the route schemas). */
const SECURITY_SCHEMES = {
  userHash: {
    type: 'apiKey',
    in: 'header',
    name: 'X-User-Hash',
    description: 'v1: the Open2FA ID (1 to 128 characters of A-Z a-z 0-9 _ -). A missing header is answered 400.',
  },
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: '43 base64url characters',
    description: 'v2: the auth token derived from the Open2FA Secret (docs/protocol.md). Missing or wrong: 401.',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: "/metrics: the operator's METRICS_TOKEN.",
  },
} as const;

type Headers = Record<string, { description: string; schema: { type: string }; required?: boolean }>;

/** Sent on every answer of `/api/…` while the request ceiling is on (RATE_LIMIT_MAX > 0). */
const RATE_LIMIT_HEADERS: Headers = {
  'X-RateLimit-Limit': { description: 'Requests allowed per window from this address', schema: { type: 'integer' } },
  'X-RateLimit-Remaining': { description: 'Requests left in the window', schema: { type: 'integer' } },
  'X-RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
};

/** Headers that always come with a status (error-handler-plugin.ts, rate-limit-plugin.ts). */
const STATUS_HEADERS: Readonly<Record<string, Headers>> = {
  401: {
    'WWW-Authenticate': { description: 'Always `Bearer`', schema: { type: 'string' }, required: true },
  },
  429: {
    'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' }, required: true },
  },
  503: {
    'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' }, required: true },
  },
};

const ERROR_SCHEMA = { type: 'object', required: ['detail'], properties: { detail: { type: 'string' } } };

function errorAnswer(description: string): object {
  return { description, content: { 'application/json': { schema: ERROR_SCHEMA } } };
}

/**
 * `/metrics` is declared by the metrics plugin without a schema (its body is Prometheus text, not JSON),
 * so it is described here.
 */
const METRICS_PATH = {
  get: {
    tags: ['operations'],
    summary: 'Prometheus metrics',
    description:
      'Answers 404 unless the server is started with METRICS_TOKEN; then it needs `Authorization: Bearer <METRICS_TOKEN>`.',
    security: [{ metricsToken: [] }],
    responses: {
      200: {
        description: 'Metrics in the Prometheus text format',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
      401: errorAnswer('A missing or wrong metrics token'),
      404: errorAnswer('Metrics are off: no METRICS_TOKEN is configured'),
      429: errorAnswer('Too many requests from this address; see Retry-After'),
    },
  },
};

/**
 * Answered by Node's HTTP server before any route runs (error-handler-plugin.ts, `answerClientError`),
 * so every operation may get them, whatever its route says; they come with no header of the plugins'.
 */
const CONNECTION_ANSWERS: Readonly<Record<string, string>> = {
  400: 'Malformed HTTP (the request line or a header), or what the route documents as 400',
  408: 'The request did not arrive in full within REQUEST_TIMEOUT_MS (30 s unless configured)',
  431: 'The request head (URL and headers) is larger than MAX_HEADER_BYTES (16 KiB unless configured)',
};

interface MutableOperation {
  responses?: Record<string, { headers?: Headers }>;
}

/**
 * What the route schemas cannot say: the headers the plugins send, the answers of the HTTP server itself,
 * and `/metrics`. (@fastify/swagger already drops the Authorization parameter of routes with a bearer
 * `security`: OpenAPI ignores it.)
 */
export function completeOpenApiDocument<Document extends { paths?: object }>(document: Document): Document {
  const paths = (document.paths ?? {}) as Record<string, Record<string, MutableOperation>>;
  paths['/metrics'] ??= METRICS_PATH as unknown as Record<string, MutableOperation>;
  for (const [path, item] of Object.entries(paths)) {
    for (const operation of Object.values(item)) {
      const responses = operation.responses ?? {};
      for (const [status, response] of Object.entries(responses)) {
        const headers = { ...(path.startsWith('/api/') ? RATE_LIMIT_HEADERS : {}), ...STATUS_HEADERS[status] };
        if (Object.keys(headers).length > 0) response.headers = { ...response.headers, ...headers };
      }
      // Each operation its own objects, added after the headers: the HTTP server sends none of them.
      for (const [status, description] of Object.entries(CONNECTION_ANSWERS)) {
        responses[status] ??= errorAnswer(description) as { headers?: Headers };
      }
      operation.responses = responses;
    }
  }
  return { ...document, paths };
}

/**
 * The OpenAPI 3 document, generated from the route schemas (register before any route), served at
 * `/api/openapi.json`, with a readable page at `/api/docs` rendered on the server: no script, so it
 * lives under the same strict CSP as everything else.
 *
 * The routes are only recorded here; @fastify/swagger (and the yaml package it loads) is imported on
 * the first request for the document, which it then generates once from a copy of the routes on an
 * instance of its own: a server nobody asks for its documentation never holds it in memory
 * (bench/profile-notes.md, "Idle memory").
 */
export function registerOpenApi(app: FastifyInstance, version: string): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  let document: Promise<OpenApiDocument> | undefined;
  const load = (): Promise<OpenApiDocument> => {
    document ??= generateDocument(routes, version);
    // A failure (a bug) is not kept: the next request tries again.
    document.catch(() => (document = undefined));
    return document;
  };
  app.get('/api/openapi.json', { schema: { hide: true } }, () => load());
  app.get('/api/docs', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderApiDocs(await load())),
  );
}

/** What @fastify/swagger is given: the document's frame; the paths come from the routes. */
function swaggerOptions(version: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'open2fa',
        version,
        description:
          'Sync API for TOTP secrets encrypted on the client. The server stores ciphertexts keyed by a hash of the anonymous Open2FA ID. Every error is JSON `{"detail": "..."}`; a method a path does not serve is answered 405 with `Allow`.',
      },
      tags: [
        { name: 'v1', description: 'Legacy API, wire-compatible with the open2fa 1.x Python client' },
        {
          name: 'v2',
          description: 'Protocol v2: authenticated, revisioned, metadata-private items (docs/protocol.md)',
        },
        { name: 'operations', description: 'Health, readiness and metrics' },
      ],
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transformObject: (documentObject) =>
      completeOpenApiDocument('openapiObject' in documentObject ? documentObject.openapiObject : {}),
  };
}

/**
 * The document @fastify/swagger makes of `routes`, declared again (method, URL and schema, which is all
 * it reads) on a Fastify instance that only lives for this. Fastify adds the HEAD route of each GET
 * itself, so the recorded ones are left out; schemas are not compiled there, since nothing is served.
 */
async function generateDocument(routes: readonly RouteOptions[], version: string): Promise<OpenApiDocument> {
  const [{ default: Fastify }, { default: swagger }] = await Promise.all([
    import('fastify'),
    import('@fastify/swagger'),
  ]);
  const scratch = Fastify({ logger: false });
  try {
    scratch.setValidatorCompiler(() => () => true);
    scratch.setSerializerCompiler(() => (data) => JSON.stringify(data));
    await scratch.register(swagger, swaggerOptions(version));
    for (const route of routes) {
      if (route.method === 'HEAD') continue;
      scratch.route({
        method: route.method,
        url: route.url,
        ...(route.schema === undefined ? {} : { schema: route.schema }),
        ...(route.config === undefined ? {} : { config: route.config }),
        handler: () => null,
      });
    }
    await scratch.ready();
    return scratch.swagger() as unknown as OpenApiDocument;
  } finally {
    await scratch.close();
  }
}
