import type { V2ChangesResponse, V2Item, V2WriteResponse } from '../core/v2/wire.js';
import { isRecord, sendJson, toFailure, type ApiAnswer, type ApiFailure } from './api-client.js';

/** Same-origin protocol v2 API (docs/protocol.md §3); only the ID, the auth token and envelopes are sent. */
const ITEMS_PATH = '/api/v2/items';
/** A guard against a server that keeps saying `more` without moving on. */
const MAX_PAGES = 100;

/** What a v2 request is sent with: the Open2FA ID (`X-User-Hash`) and the derived bearer token. */
export interface V2Auth {
  readonly id: string;
  readonly token: string;
}

export type V2Failure =
  | ApiFailure
  /** 401: the ID is bound to the token of another Open2FA Secret. */
  | { readonly kind: 'unauthorized' }
  /** 409: a stale revision (`item` is the server's current one) or a full quota (`item` is null). */
  | { readonly kind: 'conflict'; readonly item: V2Item | null; readonly detail: string };

export type V2Result<T> =
  { readonly ok: true; readonly answer: ApiAnswer<T> } | { readonly ok: false; readonly failure: V2Failure };

/** Every live and deleted item after paging through `since`/`more`, and the user's current sequence. */
export interface V2Pull {
  readonly items: readonly V2Item[];
  readonly seq: number;
}

export interface V2ApiClient {
  /** All changes since `since` (0: everything), following `more` page by page. */
  pull(auth: V2Auth, since?: number): Promise<V2Result<V2Pull>>;
  /** Creates (`rev` 0) or replaces the item at its base revision. */
  put(auth: V2Auth, itemId: string, rev: number, envelope: string): Promise<V2Result<V2WriteResponse>>;
  /** Leaves a tombstone, if `rev` is still the current revision. */
  remove(auth: V2Auth, itemId: string, rev: number): Promise<V2Result<V2WriteResponse>>;
}

/** The v2 API client of the page. `fetchImpl` and `now` are parameters so tests can replace them. */
export function createV2ApiClient(
  fetchImpl: typeof fetch = fetch.bind(globalThis),
  now: () => number = Date.now,
): V2ApiClient {
  async function call<T>(
    method: 'GET' | 'PUT' | 'DELETE',
    url: string,
    auth: V2Auth,
    extra: { readonly rev?: number; readonly body?: object },
    isBody: (value: unknown) => value is T,
  ): Promise<V2Result<T>> {
    const headers: Record<string, string> = {
      'X-User-Hash': auth.id,
      Authorization: `Bearer ${auth.token}`,
      Accept: 'application/json',
    };
    if (extra.rev !== undefined) headers['If-Match'] = `"${String(extra.rev)}"`;
    const exchange = await sendJson(fetchImpl, now, url, method, headers, extra.body);
    if (exchange === null) return { ok: false, failure: { kind: 'unreachable' } };
    const { response, json, sentAt, receivedAt } = exchange;
    if (!response.ok) return { ok: false, failure: toV2Failure(response, json) };
    if (!isBody(json)) return { ok: false, failure: { kind: 'malformed' } };
    return { ok: true, answer: { body: json, dateHeader: response.headers.get('date'), sentAt, receivedAt } };
  }

  const itemUrl = (itemId: string): string => `${ITEMS_PATH}/${encodeURIComponent(itemId)}`;

  return {
    async pull(auth, since = 0) {
      const items: V2Item[] = [];
      let cursor = since;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await call('GET', `${ITEMS_PATH}?since=${String(cursor)}`, auth, {}, isChangesResponse);
        if (!result.ok) return result;
        const { body } = result.answer;
        items.push(...body.items);
        const last = body.items.at(-1);
        if (!body.more || last === undefined) {
          return { ok: true, answer: { ...result.answer, body: { items, seq: body.seq } } };
        }
        cursor = last.seq;
      }
      return { ok: false, failure: { kind: 'malformed' } };
    },
    put: (auth, itemId, rev, envelope) => call('PUT', itemUrl(itemId), auth, { rev, body: { envelope } }, isWrite),
    remove: (auth, itemId, rev) => call('DELETE', itemUrl(itemId), auth, { rev }, isWrite),
  };
}

function toV2Failure(response: Response, json: unknown): V2Failure {
  if (response.status === 401) return { kind: 'unauthorized' };
  if (response.status === 409) {
    const detail = isRecord(json) && typeof json.detail === 'string' ? json.detail : response.statusText;
    const item = isRecord(json) && isItem(json.item) ? json.item : null;
    return { kind: 'conflict', item, detail };
  }
  return toFailure(response, json);
}

function isItem(value: unknown): value is V2Item {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.rev === 'number' &&
    typeof value.seq === 'number' &&
    typeof value.deleted === 'boolean' &&
    (value.envelope === null || typeof value.envelope === 'string')
  );
}

function isChangesResponse(value: unknown): value is V2ChangesResponse {
  return (
    isRecord(value) &&
    Array.isArray(value.items) &&
    value.items.every(isItem) &&
    typeof value.seq === 'number' &&
    typeof value.more === 'boolean'
  );
}

function isWrite(value: unknown): value is V2WriteResponse {
  return isRecord(value) && isItem(value.item) && typeof value.seq === 'number';
}
