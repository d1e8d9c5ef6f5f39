import type SqliteDatabase from 'better-sqlite3';
import type { AccountKey, UserKey } from '../store.js';
import type { ReaderQueries, StoreReader } from '../store-reader.js';
import { emptyV1ListBody } from '../v1-list-document.js';
import type { V2PageRow, V2PageVersion } from '../v2-changes-page.js';

/**
 * The hot read paths on SQLite (the v1 pull, the v2 sync): Kysely's compiled queries, prepared once on a
 * read-only connection and run synchronously. It never waits behind a write transaction on the writer
 * connection and never sees one half-done (WAL gives it the last committed snapshot).
 *
 * Every read transaction costs SQLite two `fcntl` calls (taking and dropping a WAL read lock), as
 * many system calls as the whole HTTP exchange. So the reads of one turn of the event loop share one
 * read transaction, ended by `setImmediate` once the turn's I/O callbacks have run, or at once by
 * `refresh()`, which the store calls before and after each of its own writes: a read never misses a
 * write that was acknowledged before it began, and a v2 sync's reads see one state. Another process
 * writing the same file is seen from the next turn on.
 */
export class SqliteReader implements StoreReader {
  readonly #database: SqliteDatabase.Database;
  readonly #v1ListBody: SqliteDatabase.Statement<[UserKey], Buffer | null>;
  readonly #v2ChangesPage: SqliteDatabase.Statement<[number, number, number, number, AccountKey, number], V2PageRow>;
  readonly #v2Version: SqliteDatabase.Statement<[AccountKey], V2PageVersion>;
  readonly #begin: SqliteDatabase.Statement;
  readonly #end: SqliteDatabase.Statement;
  #inSnapshot = false;

  constructor(database: SqliteDatabase.Database, queries: ReaderQueries) {
    this.#database = database;
    this.#v1ListBody = database.prepare<[UserKey], Buffer | null>(queries.v1ListBody).pluck(true);
    this.#v2ChangesPage = database.prepare(queries.v2ChangesPage);
    this.#v2Version = database.prepare(queries.v2Version);
    this.#begin = database.prepare('BEGIN');
    this.#end = database.prepare('COMMIT');
  }

  /** The user's v1 list body, or null for an unknown user. */
  listV1Body(user: UserKey): Buffer | null {
    this.#snapshot();
    const body = this.#v1ListBody.get(user);
    if (body === undefined) return null;
    return body ?? emptyV1ListBody();
  }

  /** The rows of `V2Repository.changesPageQuery`, in the turn's snapshot. */
  v2ChangesPage(account: AccountKey, since: number, rows: number, unchanged: V2PageVersion): V2PageRow[] {
    this.#snapshot();
    return this.#v2ChangesPage.all(unchanged.id, unchanged.seq, unchanged.createdAt, since, account, rows);
  }

  /** The account's version, in the same snapshot as a page read after it in this turn. */
  v2Version(account: AccountKey): V2PageVersion | undefined {
    this.#snapshot();
    return this.#v2Version.get(account);
  }

  /** Ends the shared read transaction, if any: the next read sees every write committed so far. */
  readonly refresh = (): void => {
    if (!this.#inSnapshot) return;
    this.#inSnapshot = false;
    if (this.#database.inTransaction) this.#end.run();
  };

  close(): void {
    this.refresh();
    this.#database.close();
  }

  #snapshot(): void {
    if (this.#inSnapshot) return;
    this.#begin.run();
    this.#inSnapshot = true;
    setImmediate(this.refresh);
  }
}
