import type pg from 'pg';
import { QueryBatcher } from './query-batcher.js';
import type { AccountKey, UserKey } from '../store.js';
import type { ReaderQueries, StoreReader } from '../store-reader.js';
import { emptyV1ListBody } from '../v1-list-document.js';
import { NO_VERSION, unchangedRow, type V2PageRow, type V2PageVersion } from '../v2-changes-page.js';
import { sameVersion } from '../v2-page-cache.js';

/** `V2Repository.versionQuery`'s row as node-postgres gives it: bigint columns as text. */
interface VersionRow {
  readonly id: number;
  readonly seq: number | string;
  readonly createdAt: number | string;
}

/**
 * The hot read paths on PostgreSQL: Kysely's compiled queries sent as named prepared statements, so
 * each connection of the pool parses and plans them once instead of on every request, and without
 * Kysely's per-query work (building, compiling, a connection checkout of its own). The reads that
 * arrive in one turn of the event loop share one statement (query-batcher.ts): a round trip costs
 * PostgreSQL and the server more than the rows it carries, and reads under load come in bursts. Every
 * statement reads committed data at its start (READ COMMITTED), which is after its requests arrived:
 * a write acknowledged by any instance before a read began is seen.
 */
export class PostgresReader implements StoreReader {
  readonly #v1: QueryBatcher<{ body: Buffer | null }>;
  readonly #v2: QueryBatcher<V2PageRow>;
  readonly #v2Version: QueryBatcher<VersionRow>;

  constructor(pool: pg.Pool, queries: ReaderQueries) {
    this.#v1 = new QueryBatcher(pool, { name: 'open2fa-v1-list-body', text: queries.v1ListBody, types: ['bytea'] });
    this.#v2 = new QueryBatcher(pool, {
      name: 'open2fa-v2-changes-page',
      text: queries.v2ChangesPage,
      // unchanged id, seq, created_at; since; token hash; row limit (KyselyStore checks the order)
      types: ['bigint', 'bigint', 'bigint', 'bigint', 'bytea', 'bigint'],
      // The page query's own order (`orderBy('i.seq')`), kept within each read's rows.
      orderBy: 'seq',
    });
    this.#v2Version = new QueryBatcher(pool, { name: 'open2fa-v2-version', text: queries.v2Version, types: ['bytea'] });
  }

  async listV1Body(user: UserKey): Promise<Buffer | null> {
    const [row] = await this.#v1.rows([user]);
    if (row === undefined) return null;
    return row.body ?? emptyV1ListBody();
  }

  /**
   * The rows of `V2Repository.changesPageQuery`. When the caller holds a page, the account's row alone
   * is read first: PostgreSQL spends twice as long on the page query as on that lookup even when it
   * returns the account's row alone (measured: 39 against 18 µs of its CPU per read), and a page is far
   * more often still current than not. A changed account then costs a second statement.
   */
  async v2ChangesPage(
    account: AccountKey,
    since: number,
    rows: number,
    unchanged: V2PageVersion,
  ): Promise<V2PageRow[]> {
    if (unchanged.id !== NO_VERSION.id) {
      const [row] = await this.#v2Version.rows([account]);
      if (row === undefined) return [];
      // bigint columns arrive as text; the held version is in numbers, as pageVersion makes it.
      const version = { id: row.id, seq: Number(row.seq), createdAt: Number(row.createdAt) };
      if (sameVersion(version, unchanged)) return [unchangedRow(version)];
    }
    return this.#v2.rows([unchanged.id, unchanged.seq, unchanged.createdAt, since, account, rows]);
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
