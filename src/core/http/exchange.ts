import { isRecord } from '../is-record.js';

/**
 * One JSON exchange over `fetch`, the only place in open2fa that calls it (lint-checked; the service
 * worker's cache proxy, which passes shell files through, is the named exception): the CLI and the page
 * both speak to the server through here. Every HTTP status is an answer (the protocol clients decide what a
 * 404 or a 409 means); what goes wrong on the way (no connection, no answer in time, an answer too
 * large or not JSON) is a failure value, never an exception. A server's answer is untrusted input:
 * the body is read up to a size limit and handed on as `unknown`, for the wire guards to check.
 */

/** Where the request goes and what it carries; `body` is sent as JSON. */
export interface JsonRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface HttpOptions {
  /** Called unbound: browsers' fetch throws "Illegal invocation" when `this` is another object. */
  readonly fetch: typeof globalThis.fetch;
  /** For the whole exchange, body included (default 15 s). */
  readonly timeoutMs?: number;
  /** The largest answer read (default 16 MiB); a larger one is `malformed`. */
  readonly maxBytes?: number;
  /** The device clock, for the clock-skew estimate. */
  readonly now?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
/** A full v2 page (1000 envelopes of 8 KiB) fits with room to spare. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** An answer with any status: its parsed JSON body (`null` when empty) and what the headers told. */
export interface HttpAnswer {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly body: unknown;
  /** The `Date` header, for the clock-skew estimate; `null` when absent or not a date. */
  readonly date: Date | null;
  /** `Retry-After` in seconds (RFC 9110 §10.2.3), or `null`. */
  readonly retryAfterSeconds: number | null;
  /** Device time (ms) when the request left and when the answer arrived. */
  readonly sentAt: number;
  readonly receivedAt: number;
}

/** Why an exchange or a protocol call did not give what was asked. `url` names the server in messages. */
export type HttpFailure =
  | { readonly kind: 'unreachable'; readonly url: string; readonly reason: string }
  | { readonly kind: 'timeout'; readonly url: string; readonly seconds: number }
  /** Not JSON, too large, the wrong shape, or paging that does not end. */
  | { readonly kind: 'malformed'; readonly url: string; readonly why: string }
  | { readonly kind: 'unauthorized'; readonly url: string; readonly detail: string | null }
  | { readonly kind: 'not_found'; readonly url: string; readonly detail: string | null }
  | {
      readonly kind: 'rate_limited';
      readonly url: string;
      readonly retryAfterSeconds: number | null;
      readonly detail: string | null;
    }
  /** 5xx. */
  | {
      readonly kind: 'server';
      readonly url: string;
      readonly status: number;
      readonly statusText: string;
      readonly detail: string | null;
    }
  /** Any other status the call did not expect. */
  | {
      readonly kind: 'rejected';
      readonly url: string;
      readonly status: number;
      readonly statusText: string;
      readonly detail: string | null;
    };

/** A protocol call's value and the answer it came in (its `Date` feeds the clock-skew estimate). */
export interface Answered<T> {
  readonly data: T;
  readonly answer: HttpAnswer;
}

export type HttpResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: HttpFailure };

/** Sends one request and reads its JSON answer. */
export async function exchangeJson(request: JsonRequest, options: HttpOptions): Promise<HttpResult<HttpAnswer>> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  const fetch = options.fetch;
  const sentAt = now();
  let response: Response;
  let bytes: Uint8Array | null;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      // No cache, no cookies beyond the origin, no redirect (a redirect could carry the token
      // elsewhere), no referrer.
      cache: 'no-store',
      credentials: 'same-origin',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
      signal: AbortSignal.timeout(timeoutMs),
    });
    bytes = await readCapped(response, maxBytes);
  } catch (error) {
    if (isTimeout(error)) return fail({ kind: 'timeout', url: request.url, seconds: timeoutMs / 1000 });
    return fail({ kind: 'unreachable', url: request.url, reason: networkReason(error) });
  }
  if (bytes === null) {
    return fail({ kind: 'malformed', url: request.url, why: `the answer is larger than ${sizeText(maxBytes)}` });
  }
  const body = parseJson(bytes);
  if (body === undefined) return fail({ kind: 'malformed', url: request.url, why: 'the answer is not JSON' });
  return {
    ok: true,
    value: {
      url: request.url,
      status: response.status,
      statusText: response.statusText,
      body,
      date: parseDate(response.headers.get('date')),
      retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after'), now()),
      sentAt,
      receivedAt: now(),
    },
  };
}

/** The failure for an answer whose status the call did not expect. */
export function statusFailure(answer: HttpAnswer): HttpFailure {
  const { url, status, statusText } = answer;
  const detail = errorDetail(answer.body);
  if (status === 401) return { kind: 'unauthorized', url, detail };
  if (status === 404) return { kind: 'not_found', url, detail };
  if (status === 429) return { kind: 'rate_limited', url, retryAfterSeconds: answer.retryAfterSeconds, detail };
  if (status >= 500) return { kind: 'server', url, status, statusText, detail };
  return { kind: 'rejected', url, status, statusText, detail };
}

/** A `malformed` failure: the answer does not have the shape the protocol defines. */
export function malformed(url: string, why: string): HttpResult<never> {
  return fail({ kind: 'malformed', url, why });
}

export function fail(failure: HttpFailure): HttpResult<never> {
  return { ok: false, failure };
}

/** Most of a body that could be a screenful: the `detail` of an error is cut to one short line. */
const DETAIL_MAX = 200;

/**
 * The `detail` of a `{"detail": ...}` error body (a string, or the first message of a FastAPI 422
 * list), on one line and at most 200 characters; `null` when there is none. Still untrusted text:
 * clients make it printable before they show it.
 */
export function errorDetail(body: unknown): string | null {
  let detail = isRecord(body) ? body.detail : undefined;
  if (Array.isArray(detail)) {
    const first: unknown = detail[0];
    detail = isRecord(first) ? first.msg : undefined;
  }
  if (typeof detail !== 'string') return null;
  const line = detail.replace(/\s+/g, ' ').trim();
  return line.length > DETAIL_MAX ? `${line.slice(0, DETAIL_MAX - 1)}…` : line;
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The body up to `maxBytes`, or `null` when it is larger (the rest is not read). */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** The parsed body, `null` for an empty one, `undefined` when it is not JSON (or not UTF-8). */
function parseJson(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

function parseDate(value: string | null): Date | null {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

function isTimeout(error: unknown): boolean {
  return isRecord(error) && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** undici reports "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`. */
function networkReason(error: unknown): string {
  const cause = isRecord(error) && isRecord(error.cause) ? error.cause : null;
  if (cause !== null && typeof cause.code === 'string') return cause.code;
  if (cause !== null && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${String(bytes / 1024 / 1024)} MiB` : `${String(bytes)} bytes`;
}

/**
 * The other use of fetch, kept here so that this module stays the only one that calls it: a service
 * worker's cache proxy (src/web/sw.ts) hands the page's own request on as it is. No JSON, limits or
 * timeout of its own: the browser applies the page's, and the answer goes back untouched.
 */
export function forwardRequest(request: Request): Promise<Response> {
  return fetch(request);
}
