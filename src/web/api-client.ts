import { printable } from '../core/printable.js';
import { type Answered, type HttpFailure, type HttpResult } from '../core/http/exchange.js';
import { createV1Client } from '../core/v1/client.js';
import type { V1DeleteResponse, V1ListResponse, V1PushResponse, V1Totp } from '../core/v1/wire.js';

/** Same-origin API; only the Open2FA ID (header) and ciphertexts (body) are ever sent. */
const V1_API = '/api/v1';

/** What the page tells apart; `server.ts`-side details (URLs, reasons) are not shown. */
export type ApiFailure =
  | { readonly kind: 'not_found' }
  | { readonly kind: 'rate_limited'; readonly retryAfterSeconds: number | null }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'server'; readonly status: number }
  | { readonly kind: 'rejected'; readonly status: number; readonly detail: string }
  | { readonly kind: 'malformed' };

export interface ApiAnswer<T> {
  readonly body: T;
  /** The response's `Date` header, or `null`. */
  readonly dateHeader: string | null;
  /** Device time (ms) when the request left and when the answer arrived. */
  readonly sentAt: number;
  readonly receivedAt: number;
}

export type ApiResult<T> =
  { readonly ok: true; readonly answer: ApiAnswer<T> } | { readonly ok: false; readonly failure: ApiFailure };

export interface ApiClient {
  /** `not_found` when the server does not know the ID (nothing stored yet). */
  list(id: string): Promise<ApiResult<V1ListResponse>>;
  push(id: string, totps: readonly V1Totp[]): Promise<ApiResult<V1PushResponse>>;
  remove(id: string, totps: readonly V1Totp[]): Promise<ApiResult<V1DeleteResponse>>;
}

/**
 * The v1 API client of the page: core/v1's client (the one HTTP exchange of open2fa) with the page's
 * failure kinds. `fetchImpl` and `now` are parameters so tests can replace them.
 */
export function createApiClient(
  fetchImpl: typeof fetch = fetch.bind(globalThis),
  now: () => number = Date.now,
): ApiClient {
  const client = createV1Client({ apiUrl: V1_API, fetch: fetchImpl, now });
  return {
    list: async (id) => pageResult(await client.list(id), (totps) => ({ totps })),
    push: async (id, totps) => pageResult(await client.push(id, totps), (body) => body),
    remove: async (id, totps) => pageResult(await client.remove(id, totps), (body) => body),
  };
}

/** A core result in the page's terms; an unknown ID (`null`) is the page's `not_found`. */
export function pageResult<T, U>(
  result: HttpResult<Answered<T | null>>,
  body: (data: T) => U,
): { readonly ok: true; readonly answer: ApiAnswer<U> } | { readonly ok: false; readonly failure: ApiFailure } {
  if (!result.ok) return { ok: false, failure: pageFailure(result.failure) };
  const { data, answer } = result.value;
  if (data === null) return { ok: false, failure: { kind: 'not_found' } };
  return {
    ok: true,
    answer: {
      body: body(data),
      dateHeader: answer.date === null ? null : answer.date.toUTCString(),
      sentAt: answer.sentAt,
      receivedAt: answer.receivedAt,
    },
  };
}

/** The page does not tell a timeout from a refused connection: both mean "cannot reach the server". */
export function pageFailure(failure: HttpFailure): ApiFailure {
  switch (failure.kind) {
    case 'unreachable':
    case 'timeout':
      return { kind: 'unreachable' };
    case 'malformed':
      return { kind: 'malformed' };
    case 'not_found':
      return { kind: 'not_found' };
    case 'rate_limited':
      return { kind: 'rate_limited', retryAfterSeconds: failure.retryAfterSeconds };
    case 'server':
      return { kind: 'server', status: failure.status };
    // The server's words are untrusted: no control or bidi character reaches the notice.
    case 'unauthorized':
      return { kind: 'rejected', status: 401, detail: printable(failure.detail ?? 'Unauthorized') };
    case 'rejected':
      return { kind: 'rejected', status: failure.status, detail: printable(failure.detail ?? failure.statusText) };
  }
}
