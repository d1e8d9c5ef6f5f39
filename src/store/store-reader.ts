import type { AccountKey, UserKey } from './store.js';
import type { V2PageRow, V2PageVersion } from './v2-changes-page.js';

/** The hot read queries, as Kysely compiled them from the repositories' builders (positional parameters). */
export interface ReaderQueries {
  /** `V1Repository.listBodyQuery`: the v1 list body of one user by id_hash, one row (NULL without a list) or none. */
  readonly v1ListBody: string;
  /**
   * `V2Repository.changesPageQuery`, the account and a page of its changes in one statement: parameters
   * (unchanged id, unchanged seq, unchanged created_at, since, token hash, row limit).
   */
  readonly v2ChangesPage: string;
  /** `V2Repository.versionQuery`: the version of one account by token hash, or no row. */
  readonly v2Version: string;
}

/**
 * The hot read paths (the v1 pull, the v2 sync) run outside Kysely, each dialect its own way: a SQLite
 * file on a read-only connection, synchronously (sqlite/sqlite-reader.ts); PostgreSQL as named prepared
 * statements on the pool (postgres/postgres-reader.ts). Same queries, same rows as the repositories.
 */
export interface StoreReader {
  /** The user's v1 list body, or null for an unknown user. */
  listV1Body(user: UserKey): Buffer | null | Promise<Buffer | null>;
  /** The rows of `V2Repository.changesPageQuery`. */
  v2ChangesPage(
    account: AccountKey,
    since: number,
    rows: number,
    unchanged: V2PageVersion,
  ): V2PageRow[] | Promise<V2PageRow[]>;
  /** `V2Repository.versionQuery`: the account's version (as numbers), or undefined for an unknown account. */
  v2Version(account: AccountKey): V2PageVersion | undefined | Promise<V2PageVersion | undefined>;
  /** Called before and after each of the store's writes: the next read sees every write committed so far. */
  refresh(): void;
  close(): void;
}
