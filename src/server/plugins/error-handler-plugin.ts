import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { FastifyError, FastifyInstance } from 'fastify';
import { isDatabaseUnavailable } from '../../store/store-errors.js';
import { ServiceError, type ServiceErrorCode } from '../services/service-error.js';

const SERVICE_STATUS: Record<ServiceErrorCode, number> = {
  missing_user_hash: 400,
  unknown_user: 404,
  quota_exceeded: 409,
  unauthorized: 401,
  precondition_required: 428,
  invalid_precondition: 400,
  conflict: 409,
  not_found: 404,
};

/** Fastify's own client-error codes, with the words we answer them with. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, detail: 'request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, detail: 'request body is empty; expected JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, detail: 'request body is larger than the limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, detail: 'unsupported Content-Type; send application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, detail: 'Content-Length does not match the body' },
};

/**
 * Required headers whose absence keeps the words and status the services gave it before the schemas
 * required them: 1.x answered a missing X-User-Hash 400, and a write without If-Match is 428 (RFC 6585).
 */
const MISSING_HEADERS: Record<string, { status: number; detail: string }> = {
  'x-user-hash': { status: 400, detail: 'Missing X-User-Hash header' },
  'if-match': { status: 428, detail: 'send If-Match with the base revision ("0" to create)' },
};

export interface ErrorAnswer {
  readonly status: number;
  readonly detail: string;
  /** Fields sent beside `detail` (a 409's current item). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * The one place where errors become HTTP answers: JSON `{"detail": "..."}`, never a stack, and the
 * message of every 5xx hidden (it is logged instead).
 */
export function toErrorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof ServiceError) {
    return { status: SERVICE_STATUS[error.code], detail: error.message, extra: error.extra };
  }
  const fastifyError = error as Partial<FastifyError> | null;
  if (fastifyError?.validation !== undefined) {
    const missing = missingHeader(fastifyError);
    if (missing !== undefined) return missing;
    // FastAPI answered body errors with 422; headers and query strings are plain bad requests.
    const status = fastifyError.validationContext === 'body' ? 422 : 400;
    return { status, detail: fastifyError.message ?? 'invalid request' };
  }
  const known = fastifyError?.code === undefined ? undefined : FASTIFY_CLIENT_ERRORS[fastifyError.code];
  if (known !== undefined) return known;
  if (isDatabaseUnavailable(error)) {
    return { status: 503, detail: 'the database is unavailable; try again shortly' };
  }
  const status = fastifyError?.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { status, detail: fastifyError?.message ?? 'bad request' };
  }
  return { status: 500, detail: 'Internal Server Error' };
}

function missingHeader(error: Partial<FastifyError>): ErrorAnswer | undefined {
  if (error.validationContext !== 'headers') return undefined;
  const first = error.validation?.[0];
  if (first?.keyword !== 'required') return undefined;
  const name = (first.params as { missingProperty?: unknown }).missingProperty;
  return typeof name === 'string' ? MISSING_HEADERS[name] : undefined;
}

const CLIENT_ERRORS: Record<string, { status: number; reason: string; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', detail: 'the request took too long to arrive' },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    detail: 'request headers are larger than the limit',
  },
};

/**
 * Errors Node's HTTP parser meets before Fastify sees a request (malformed HTTP, oversized headers,
 * slow clients): answered as JSON `{"detail"}` like everything else, then the connection is closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = error.code === undefined ? undefined : CLIENT_ERRORS[error.code];
  const { status, reason, detail } = known ?? { status: 400, reason: 'Bad Request', detail: 'malformed HTTP request' };
  const body = JSON.stringify({ detail });
  socket.end(
    `HTTP/1.1 ${String(status)} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function registerErrorHandler(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((error, request, reply) => {
    const answer = toErrorAnswer(error);
    if (answer.status === 503) {
      log.warn(
        { reqId: request.id, reason: error instanceof Error ? error.message : String(error) },
        'database unavailable',
      );
    } else if (answer.status >= 500) {
      log.error({ reqId: request.id, err: error }, 'request failed');
    }
    if (answer.status === 503) void reply.header('retry-after', '5');
    if (answer.status === 401) void reply.header('www-authenticate', 'Bearer');
    return reply.code(answer.status).send({ ...answer.extra, detail: answer.detail });
  });
  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedMethods(app, request.url);
    if (allowed.length === 0 || allowed.includes(request.method)) {
      return reply.code(404).send({ detail: 'Not Found' });
    }
    const allow = allowed.join(', ');
    return reply
      .code(405)
      .header('allow', allow)
      .send({ detail: `method not allowed here; use ${allow}` });
  });
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/**
 * The methods some route serves at this URL's path (RFC 9110 §15.5.6: a 405 lists them in `Allow`).
 * An OPTIONS route alone (the CORS preflight matches every path) does not make a path known.
 */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = url.split('?', 1)[0] ?? url;
  const allowed = METHODS.filter((method) => {
    try {
      // Fastify's types leave out the null it answers when no route matches.
      return (app.findRoute({ method, url: path }) as unknown) !== null;
    } catch {
      return false;
    }
  });
  return allowed.every((method) => method === 'OPTIONS') ? [] : allowed;
}
