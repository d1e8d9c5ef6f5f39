import {
  exchangeJson,
  fail,
  malformed,
  statusFailure,
  type Answered,
  type HttpOptions,
  type HttpResult,
  type JsonRequest,
} from '../http/exchange.js';
import { readAllPages } from '../http/paging.js';
import { isRecord } from '../is-record.js';
import { isV2ChangesResponse, isV2Item, isV2WriteResponse } from './guards.js';
import type { V2ChangesResponse, V2Item } from './wire.js';

export interface V2ClientOptions extends HttpOptions {
  /** The v2 API base, e.g. `http://127.0.0.1:8000/api/v2` or `/api/v2` in the page (no trailing slash). */
  readonly apiUrl: string;
  /** The bearer token derived from the Open2FA Secret (keys.ts). */
  readonly token: string;
  /** The most pages one listing may take (default `MAX_PAGES`). */
  readonly maxPages?: number;
}

/**
 * A listing of 20 pages holds 10 000 changes at the default page size: ten times what an account may
 * hold (live items and tombstones). More than that is a server that does not stop.
 */
export const MAX_PAGES = 20;

/** A write's outcome: accepted, stale (409 with the current item) or an unknown id (404). */
export type V2WriteOutcome =
  | { readonly status: 'ok'; readonly item: V2Item; readonly seq: number }
  | { readonly status: 'conflict'; readonly item: V2Item }
  | { readonly status: 'not_found' };

/** Every change after a `since`, and the server's current sequence number. */
export interface V2Listing {
  readonly items: readonly V2Item[];
  readonly seq: number;
}

/**
 * The v2 API (docs/protocol.md §3): items with revisions, authorised by the bearer token. A stale
 * revision and an unknown id are values, since sync merges on them; everything else that is not the
 * answer asked for is a failure value.
 */
export interface V2Client {
  /** The items URL, for messages. */
  readonly url: string;
  /** One page of changes after `since`. */
  changes(since: number, limit?: number): Promise<HttpResult<Answered<V2ChangesResponse>>>;
  /** Every change after `since`, page by page, within `MAX_PAGES` and with a cursor that must advance. */
  allChanges(since: number): Promise<HttpResult<Answered<V2Listing>>>;
  /** Creates (`baseRev` 0) or replaces an item. */
  put(id: string, baseRev: number, envelope: string): Promise<HttpResult<Answered<V2WriteOutcome>>>;
  /** Turns an item into a tombstone; `envelope` is the sealed tombstone (cipher.ts `sealTombstone`). */
  remove(id: string, baseRev: number, envelope: string): Promise<HttpResult<Answered<V2WriteOutcome>>>;
}

export function createV2Client(options: V2ClientOptions): V2Client {
  const url = `${options.apiUrl}/items`;
  // Revision 2: the token is the account; no Open2FA ID is sent, so the server cannot link v1 and v2.
  const headers: Record<string, string> = { Authorization: `Bearer ${options.token}` };

  const send = (request: Omit<JsonRequest, 'headers'>, extra: Record<string, string> = {}) =>
    exchangeJson({ ...request, headers: { ...headers, ...extra } }, options);

  async function changes(since: number, limit?: number): Promise<HttpResult<Answered<V2ChangesResponse>>> {
    const query = `since=${String(since)}${limit === undefined ? '' : `&limit=${String(limit)}`}`;
    const result = await send({ url: `${url}?${query}`, method: 'GET' });
    if (!result.ok) return result;
    const answer = result.value;
    if (answer.status !== 200) return fail(statusFailure(answer));
    if (!isV2ChangesResponse(answer.body)) return malformed(url, 'the answer is not a v2 listing');
    return { ok: true, value: { data: answer.body, answer } };
  }

  async function write(
    method: 'PUT' | 'DELETE',
    id: string,
    baseRev: number,
    envelope: string,
  ): Promise<HttpResult<Answered<V2WriteOutcome>>> {
    const itemUrl = `${url}/${encodeURIComponent(id)}`;
    const result = await send({ url: itemUrl, method, body: { envelope } }, { 'If-Match': `"${String(baseRev)}"` });
    if (!result.ok) return result;
    const answer = result.value;
    if (answer.status === 404) return { ok: true, value: { data: { status: 'not_found' }, answer } };
    // A 409 without the current item is the quota, not a stale revision: nothing to merge.
    if (answer.status === 409 && isRecord(answer.body) && isV2Item(answer.body.item)) {
      return { ok: true, value: { data: { status: 'conflict', item: answer.body.item }, answer } };
    }
    if (answer.status !== 200) return fail(statusFailure(answer));
    if (!isV2WriteResponse(answer.body)) return malformed(itemUrl, 'the answer is not a v2 write');
    const { item, seq } = answer.body;
    if (item.id !== id) return malformed(itemUrl, 'the answer is about another item');
    return { ok: true, value: { data: { status: 'ok', item, seq }, answer } };
  }

  return {
    url,
    changes,
    async allChanges(since) {
      const listing = await readAllPages(
        since,
        async (cursor) => {
          const page = await changes(cursor);
          if (!page.ok) return page;
          const { data, answer } = page.value;
          const next = data.items.at(-1)?.seq ?? null;
          return { ok: true, value: { items: data.items, more: data.more, next, meta: { seq: data.seq, answer } } };
        },
        { url, maxPages: options.maxPages ?? MAX_PAGES },
      );
      if (!listing.ok) return listing;
      const { items, meta } = listing.value;
      return { ok: true, value: { data: { items, seq: meta.seq }, answer: meta.answer } };
    },
    put: (id, baseRev, envelope) => write('PUT', id, baseRev, envelope),
    remove: (id, baseRev, envelope) => write('DELETE', id, baseRev, envelope),
  };
}
