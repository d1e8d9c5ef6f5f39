import {
  exchangeJson,
  malformed,
  statusFailure,
  type Answered,
  type HttpAnswer,
  type HttpOptions,
  type HttpResult,
} from '../http/exchange.js';
import { isRecord } from '../is-record.js';
import { isV1DeleteResponse, isV1ListResponse, isV1PushResponse } from './guards.js';
import type { V1DeleteResponse, V1PushResponse, V1StoredTotp, V1Totp } from './wire.js';

/** The server's words for an ID it has never seen (only a push creates users): not a wrong URL. */
export const UNKNOWN_USER_DETAIL = 'No user found for the given X-User-Hash header';

export interface V1ClientOptions extends HttpOptions {
  /** The v1 API base, e.g. `http://127.0.0.1:8000/api/v1` or `/api/v1` in the page (no trailing slash). */
  readonly apiUrl: string;
}

/**
 * The v1 API as the open2fa 1.x client spoke it: one resource, `totps`, identified by the
 * `X-User-Hash` header (the Open2FA ID). An unknown ID is a value (`null`), not a failure.
 */
export interface V1Client {
  /** The URL every call goes to, for messages. */
  readonly url: string;
  /** Every stored entry, or `null` when the server does not know this ID (nothing pushed yet). */
  list(id: string): Promise<HttpResult<Answered<V1StoredTotp[] | null>>>;
  /** Upserts entries (by ciphertext) and answers everything stored afterwards. */
  push(id: string, totps: readonly V1Totp[]): Promise<HttpResult<Answered<V1PushResponse>>>;
  /** Deletes entries by ciphertext; `null` when the server does not know this ID. */
  remove(id: string, totps: readonly V1Totp[]): Promise<HttpResult<Answered<V1DeleteResponse | null>>>;
}

export function createV1Client(options: V1ClientOptions): V1Client {
  const url = `${options.apiUrl}/totps`;

  async function call<T>(
    id: string,
    method: 'GET' | 'POST' | 'DELETE',
    body: object | undefined,
    isBody: (value: unknown) => value is T,
    /** Which field is wrong, in the words the CLI has always used (`bad "totps"`). */
    badField: (body: Record<string, unknown>) => string,
  ): Promise<HttpResult<Answered<T | null>>> {
    const result = await exchangeJson({ url, method, headers: { 'X-User-Hash': id }, body }, options);
    if (!result.ok) return result;
    const answer = result.value;
    if (answer.status === 404 && isUnknownUser(answer)) return { ok: true, value: { data: null, answer } };
    if (answer.status !== 200) return { ok: false, failure: statusFailure(answer) };
    if (!isBody(answer.body)) {
      return malformed(url, isRecord(answer.body) ? `bad "${badField(answer.body)}"` : 'expected an object');
    }
    return { ok: true, value: { data: answer.body, answer } };
  }

  return {
    url,
    async list(id) {
      const result = await call(id, 'GET', undefined, isV1ListResponse, () => 'totps');
      return result.ok ? { ok: true, value: { ...result.value, data: result.value.data?.totps ?? null } } : result;
    },
    async push(id, totps) {
      const result = await call(id, 'POST', { totps }, isV1PushResponse, (body) =>
        isV1ListResponse({ totps: body.totps }) ? 'user_created' : 'totps',
      );
      if (!result.ok) return result;
      const { data, answer } = result.value;
      if (data === null) return malformed(url, 'the ID is unknown right after a push');
      return { ok: true, value: { data, answer } };
    },
    remove: (id, totps) => call(id, 'DELETE', { totps }, isV1DeleteResponse, () => 'deleted'),
  };
}

function isUnknownUser(answer: HttpAnswer): boolean {
  return isRecord(answer.body) && answer.body.detail === UNKNOWN_USER_DETAIL;
}
