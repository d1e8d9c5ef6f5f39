import type pg from 'pg';
import { QueryBatcher } from './query-batcher.js';
import type { AccountKey, UserKey } from '../store.js';
import type { ReaderQueries, StoreReader } from '../store-reader.js';
import { emptyV1ListBody } from '../v1-list-document.js';
import type { V2PageRow, V2PageVersion } from '../v2-changes-page.js';

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

  v2ChangesPage(account: AccountKey, since: number, rows: number, unchanged: V2PageVersion): Promise<V2PageRow[]> {
    return this.#v2.rows([unchanged.id, unchanged.seq, unchanged.createdAt, since, account, rows]);
  }

  async v2Version(account: AccountKey): Promise<V2PageVersion | undefined> {
    const [row] = await this.#v2Version.rows([account]);
    // bigint columns arrive as text; versions are compared as numbers, as pageVersion makes them.
    return row === undefined ? undefined : { id: row.id, seq: Number(row.seq), createdAt: Number(row.createdAt) };
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
