import type { V2ChangesResponse, V2Item } from '../../../core/wire/v2-wire.js';
import { CliError } from '../../cli-error.js';
import { errorDetail, unreachableMessage } from './http-errors.js';

// Only types come from the wire module: its TypeBox schemas take ~200 ms to load, more than the
// whole CLI may spend, so answers are checked by the small guards below instead.

const REQUEST_TIMEOUT_MS = 15_000;

export interface V2ClientOptions {
  /** The v2 API base, e.g. `http://127.0.0.1:8000/api/v2` (no trailing slash). */
  readonly apiUrl: string;
  /** The Open2FA ID, sent as `X-User-Hash`. */
  readonly userHash: string;
  /** The bearer token derived from the Open2FA Secret. */
  readonly authToken: string;
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs?: number;
}

/** A write's outcome: accepted, stale (409 with the current item) or an unknown id (404). */
export type V2WriteOutcome =
  | { readonly status: 'ok'; readonly item: V2Item; readonly seq: number }
  | { readonly status: 'conflict'; readonly item: V2Item }
  | { readonly status: 'not_found' };

/**
 * The v2 API (docs/protocol.md §3): items with revisions. Failures become one-line `CliError`s naming
 * the URL and the status; a stale revision and an unknown id are values, since sync merges on them.
 */
export class V2RemoteClient {
  readonly #options: V2ClientOptions;

  constructor(options: V2ClientOptions) {
    this.#options = options;
  }

  /** The items URL, e.g. for messages. */
  get url(): string {
    return `${this.#options.apiUrl}/items`;
  }

  /** One page of changes after `since`. */
  async changes(since: number, limit?: number): Promise<V2ChangesResponse> {
    const query = `since=${String(since)}${limit === undefined ? '' : `&limit=${String(limit)}`}`;
    const answer = await this.#request('GET', `${this.url}?${query}`);
    const body = this.#object(answer.text, answer.url);
    const items = body.items;
    if (!Array.isArray(items) || !items.every(isItem)) throw invalid(answer.url, 'bad "items"');
    if (!isCount(body.seq)) throw invalid(answer.url, 'bad "seq"');
    if (typeof body.more !== 'boolean') throw invalid(answer.url, 'bad "more"');
    return { items, seq: body.seq, more: body.more };
  }

  /** Every change after `since`, following `more` page by page. */
  async allChanges(since: number): Promise<V2ChangesResponse> {
    const items: V2Item[] = [];
    let cursor = since;
    for (;;) {
      const page = await this.changes(cursor);
      items.push(...page.items);
      const last = page.items.at(-1);
      if (!page.more || last === undefined) return { items, seq: page.seq, more: false };
      cursor = last.seq;
    }
  }

  /** Creates (`baseRev` 0) or replaces an item. */
  put(id: string, baseRev: number, envelope: string): Promise<V2WriteOutcome> {
    return this.#write('PUT', id, baseRev, { envelope });
  }

  /** Turns an item into a tombstone. */
  delete(id: string, baseRev: number): Promise<V2WriteOutcome> {
    return this.#write('DELETE', id, baseRev);
  }

  async #write(method: string, id: string, baseRev: number, payload?: object): Promise<V2WriteOutcome> {
    const url = `${this.url}/${encodeURIComponent(id)}`;
    const answer = await this.#request(method, url, baseRev, payload, [404, 409]);
    if (answer.status === 404) return { status: 'not_found' };
    const body = this.#object(answer.text, url);
    if (answer.status === 409) {
      // A 409 without the current item is the quota, not a stale revision: nothing to merge.
      if (!isItem(body.item)) throw httpError(url, answer.status, answer.statusText, errorDetail(answer.text));
      return { status: 'conflict', item: body.item };
    }
    if (!isItem(body.item) || !isCount(body.seq)) throw invalid(url, 'bad "item"');
    return { status: 'ok', item: body.item, seq: body.seq };
  }

  async #request(
    method: string,
    url: string,
    baseRev?: number,
    payload?: object,
    expected: readonly number[] = [],
  ): Promise<{ status: number; statusText: string; text: string; url: string }> {
    const response = await this.#send(method, url, baseRev, payload);
    const text = await response.text().catch(() => '');
    if (!response.ok && !expected.includes(response.status)) {
      throw httpError(url, response.status, response.statusText, errorDetail(text));
    }
    return { status: response.status, statusText: response.statusText, text, url };
  }

  async #send(method: string, url: string, baseRev?: number, payload?: object): Promise<Response> {
    const headers: Record<string, string> = {
      'X-User-Hash': this.#options.userHash,
      Authorization: `Bearer ${this.#options.authToken}`,
      Accept: 'application/json',
    };
    if (baseRev !== undefined) headers['If-Match'] = `"${String(baseRev)}"`;
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    const timeoutMs = this.#options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    // Called unbound: browsers' fetch throws "Illegal invocation" when `this` is another object.
    const fetch = this.#options.fetch;
    try {
      return await fetch(url, {
        method,
        headers,
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new CliError('remote_unreachable', unreachableMessage(url, error, timeoutMs), { cause: error });
    }
  }

  #object(text: string, url: string): Record<string, unknown> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw invalid(url, 'the answer is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid(url, 'expected an object');
    return body as Record<string, unknown>;
  }
}

function httpError(url: string, status: number, statusText: string, detail: string | null): CliError {
  const why = detail === null ? '' : `: ${detail}`;
  const line = `${String(status)} ${statusText}`.trim();
  if (status === 401) {
    return new CliError(
      'remote_unauthorized',
      `the open2fa server at ${url} answered ${line}${why}; the server has another auth token for this ` +
        'Open2FA ID (another UUID with the same ID, or a server that bound someone else first)',
    );
  }
  return new CliError('remote_http', `the open2fa server at ${url} answered ${line}${why}`);
}

function invalid(url: string, why: string): CliError {
  return new CliError('remote_invalid_response', `the open2fa server at ${url} sent an unexpected answer (${why})`);
}

function isItem(value: unknown): value is V2Item {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Partial<Record<keyof V2Item, unknown>>;
  return (
    typeof item.id === 'string' &&
    isCount(item.rev) &&
    isCount(item.seq) &&
    typeof item.deleted === 'boolean' &&
    (item.envelope === null || typeof item.envelope === 'string') &&
    (item.deleted ? item.envelope === null : item.envelope !== null)
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
