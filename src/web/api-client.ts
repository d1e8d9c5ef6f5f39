import type { V1DeleteResponse, V1ListResponse, V1PushResponse, V1StoredTotp, V1Totp } from '../core/v1/wire.js';

/** Same-origin API; only the Open2FA ID (header) and ciphertexts (body) are ever sent. */
const TOTPS_PATH = '/api/v1/totps';
const USER_HASH_HEADER = 'X-User-Hash';

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
  list(id: string): Promise<ApiResult<V1ListResponse>>;
  push(id: string, totps: readonly V1Totp[]): Promise<ApiResult<V1PushResponse>>;
  remove(id: string, totps: readonly V1Totp[]): Promise<ApiResult<V1DeleteResponse>>;
}

/** The v1 API client of the page. `fetchImpl` and `now` are parameters so tests can replace them. */
export function createApiClient(
  fetchImpl: typeof fetch = fetch.bind(globalThis),
  now: () => number = Date.now,
): ApiClient {
  async function call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    id: string,
    body: object | undefined,
    isBody: (value: unknown) => value is T,
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { [USER_HASH_HEADER]: id, Accept: 'application/json' };
    const exchange = await sendJson(fetchImpl, now, TOTPS_PATH, method, headers, body);
    if (exchange === null) return { ok: false, failure: { kind: 'unreachable' } };
    const { response, json, sentAt, receivedAt } = exchange;
    if (!response.ok) return { ok: false, failure: toFailure(response, json) };
    if (!isBody(json)) return { ok: false, failure: { kind: 'malformed' } };
    return { ok: true, answer: { body: json, dateHeader: response.headers.get('date'), sentAt, receivedAt } };
  }

  return {
    list: (id) => call('GET', id, undefined, isListResponse),
    push: (id, totps) => call('POST', id, { totps }, isListResponse as (value: unknown) => value is V1PushResponse),
    remove: (id, totps) => call('DELETE', id, { totps }, isDeleteResponse),
  };
}

/**
 * One same-origin JSON exchange, as both API clients make it: no cache, no credentials beyond the
 * origin, no redirects, no referrer; the times around it feed the clock-skew estimate. `null` when the
 * server could not be reached.
 */
export async function sendJson(
  fetchImpl: typeof fetch,
  now: () => number,
  url: string,
  method: string,
  headers: Record<string, string>,
  body: object | undefined,
): Promise<{ response: Response; json: unknown; sentAt: number; receivedAt: number } | null> {
  const sentAt = now();
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method,
      headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      cache: 'no-store',
      credentials: 'same-origin',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    return null;
  }
  const receivedAt = now();
  return { response, json: await readJson(response), sentAt, receivedAt };
}

export async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return null;
  }
}

export function toFailure(response: Response, json: unknown): ApiFailure {
  const { status } = response;
  if (status === 404) return { kind: 'not_found' };
  if (status === 429)
    return { kind: 'rate_limited', retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after')) };
  if (status >= 500) return { kind: 'server', status };
  const detail = isRecord(json) && typeof json.detail === 'string' ? json.detail : response.statusText;
  return { kind: 'rejected', status, detail };
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isStoredTotp(value: unknown): value is V1StoredTotp {
  return (
    isRecord(value) &&
    typeof value.enc_secret === 'string' &&
    (value.name === null || value.name === undefined || typeof value.name === 'string')
  );
}

function isListResponse(value: unknown): value is V1ListResponse {
  return isRecord(value) && Array.isArray(value.totps) && value.totps.every(isStoredTotp);
}

function isDeleteResponse(value: unknown): value is V1DeleteResponse {
  return isRecord(value) && typeof value.deleted === 'number';
}
