import { malformed, type HttpResult } from './exchange.js';

/** One page of a listing: its items, whether the server has more, and the cursor of the next page. */
export interface Page<T, M> {
  readonly items: readonly T[];
  readonly more: boolean;
  /** Where the next page starts (`since`), or `null` when this page is empty. */
  readonly next: number | null;
  /** What the page says besides its items (the v2 listing's current `seq`). */
  readonly meta: M;
}

export interface PagingOptions {
  /** For messages: the listing's URL. */
  readonly url: string;
  /** A hostile or broken server cannot keep a client paging for ever: at most this many pages. */
  readonly maxPages: number;
}

/** Every item of a listing, and the `meta` of its last page. */
export interface AllPages<T, M> {
  readonly items: T[];
  readonly meta: M;
  readonly pages: number;
}

/**
 * Follows a listing page by page from `since`. A server that says `more` must move its cursor forward
 * on every page and end within `maxPages`: a page that repeats (or goes back), a `more` with nothing
 * in it, or one page too many is a `malformed` failure, so the caller stops at once with a reason
 * instead of paging (and holding memory) for ever.
 */
export async function readAllPages<T, M>(
  since: number,
  fetchPage: (since: number) => Promise<HttpResult<Page<T, M>>>,
  options: PagingOptions,
): Promise<HttpResult<AllPages<T, M>>> {
  const items: T[] = [];
  let cursor = since;
  for (let pages = 1; ; pages++) {
    const result = await fetchPage(cursor);
    if (!result.ok) return result;
    const page = result.value;
    items.push(...page.items);
    if (!page.more) return { ok: true, value: { items, meta: page.meta, pages } };
    if (page.next === null) return malformed(options.url, 'the server says there is more but sent an empty page');
    if (page.next <= cursor) {
      return malformed(options.url, `the server's paging does not move forward (page ${String(pages)} repeats)`);
    }
    if (pages >= options.maxPages) {
      return malformed(options.url, `the server's listing goes on past ${String(options.maxPages)} pages`);
    }
    cursor = page.next;
  }
}
