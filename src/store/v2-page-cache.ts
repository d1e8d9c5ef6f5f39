import type { AccountKey } from './store.js';
import type { V2PageVersion } from './v2-changes-page.js';

/** Bytes of answers kept in all; the least recently used go first. */
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** A larger answer (an account with hundreds of items) is not kept: it would push out many small ones. */
const DEFAULT_MAX_ENTRY_BYTES = 64 * 1024;

/** A kept answer: its bytes and the version of the account row they were made from. */
export interface HeldPage {
  readonly version: V2PageVersion;
  readonly body: Buffer;
}

interface CachedPage extends HeldPage {
  readonly since: number;
  readonly limit: number;
}

/**
 * The last v2 sync answer of each account, as bytes, so a device syncing again with nothing new to
 * read is answered without reading or encoding its items again.
 *
 * Never trusted on its own: every sync still reads the account row in the statement that reads the
 * page (`V2Repository.changesPageQuery`), and the kept bytes are sent only when that row is the very
 * version they were made from. Every write to an account increments its `seq` in the write's own
 * transaction, so an answer made before any write acknowledged on this or another instance no longer
 * matches; an account erased and created again has a new row (`id`, and `created_at` for SQLite, which
 * may reuse the id of the last row). The store also forgets an account's answer before and after each
 * of its own writes.
 */
export class V2PageCache {
  readonly #pages = new Map<string, CachedPage>();
  readonly #maxBytes: number;
  readonly #maxEntryBytes: number;
  #bytes = 0;

  constructor(maxBytes = DEFAULT_MAX_BYTES, maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES) {
    this.#maxBytes = maxBytes;
    this.#maxEntryBytes = maxEntryBytes;
  }

  /**
   * The kept answer to this very request (the same cursor and page size), to be sent only once the
   * database has confirmed its `version` is the account's current row (`sameVersion`); else undefined.
   */
  held(account: AccountKey, since: number, limit: number): HeldPage | undefined {
    const key = mapKey(account);
    const page = this.#pages.get(key);
    if (page?.since !== since || page.limit !== limit) return undefined;
    // Most recently used last.
    this.#pages.delete(key);
    this.#pages.set(key, page);
    return page;
  }

  keep(account: AccountKey, since: number, limit: number, version: V2PageVersion, body: Buffer): void {
    this.forget(account);
    if (body.length > this.#maxEntryBytes) return;
    this.#pages.set(mapKey(account), { since, limit, version, body });
    this.#bytes += body.length;
    for (const [key, page] of this.#pages) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#pages.delete(key);
      this.#bytes -= page.body.length;
    }
  }

  forget(account: AccountKey): void {
    const key = mapKey(account);
    const page = this.#pages.get(key);
    if (page === undefined) return;
    this.#pages.delete(key);
    this.#bytes -= page.body.length;
  }
}

/** The account key (a SHA-256, as the database holds it) as a Map key. */
function mapKey(account: AccountKey): string {
  return Buffer.from(account.buffer, account.byteOffset, account.byteLength).toString('latin1');
}

export function sameVersion(a: V2PageVersion, b: V2PageVersion): boolean {
  return a.id === b.id && a.seq === b.seq && a.createdAt === b.createdAt;
}
