import type pg from 'pg';
import type { AccountKey, UserKey } from '../store.js';
import type { ReaderQueries, StoreReader } from '../store-reader.js';
import { emptyV1ListBody } from '../v1-list-document.js';
import type { V2PageRow, V2PageVersion } from '../v2-changes-page.js';

/**
 * The hot read paths on PostgreSQL: Kysely's compiled queries sent as named prepared statements, so
 * each connection of the pool parses and plans them once instead of on every request, and without
 * Kysely's per-query work (building, compiling, a connection checkout of its own). One round trip per
 * request. Every query reads committed data at its start (READ COMMITTED): a write acknowledged by
 * any instance before the read began is seen.
 */
export class PostgresReader implements StoreReader {
  readonly #pool: pg.Pool;
  readonly #queries: ReaderQueries;

  constructor(pool: pg.Pool, queries: ReaderQueries) {
    this.#pool = pool;
    this.#queries = queries;
  }

  async listV1Body(user: UserKey): Promise<Buffer | null> {
    const result = await this.#pool.query<[Buffer | null]>({
      name: 'open2fa-v1-list-body',
      text: this.#queries.v1ListBody,
      values: [user],
      rowMode: 'array',
    });
    const row = result.rows[0];
    if (row === undefined) return null;
    return row[0] ?? emptyV1ListBody();
  }

  async v2ChangesPage(
    account: AccountKey,
    since: number,
    rows: number,
    unchanged: V2PageVersion,
  ): Promise<V2PageRow[]> {
    const result = await this.#pool.query<V2PageRow>({
      name: 'open2fa-v2-changes-page',
      text: this.#queries.v2ChangesPage,
      values: [unchanged.id, unchanged.seq, unchanged.createdAt, since, account, rows],
    });
    return result.rows;
  }

  /** Nothing to end: each query is its own snapshot. */
  refresh(): void {
    // Nothing held between queries.
  }

  /** The pool is Kysely's, closed with it. */
  close(): void {
    // Nothing of its own to close.
  }
}
