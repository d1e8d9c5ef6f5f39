import type SqliteDatabase from 'better-sqlite3';
import { emptyV1ListBody } from './v1-list-document.js';
import type { UserKey } from './store.js';

/**
 * The pull hot path on SQLite: Kysely's compiled list-body query, prepared once on a read-only
 * connection and run synchronously. It never waits behind a write transaction on the writer
 * connection and never sees one half-done (WAL gives it the last committed snapshot).
 *
 * Every read transaction costs SQLite two `fcntl` calls (taking and dropping a WAL read lock), as
 * many system calls as the whole HTTP exchange. So the reads of one turn of the event loop share one
 * read transaction, ended by `setImmediate` once the turn's I/O callbacks have run, or at once by
 * `refresh()`, which the store calls after each of its own writes commits: a read never misses a
 * write that was acknowledged before it began. Another process writing the same file is seen from
 * the next turn on.
 */
export class SqliteV1Reader {
  readonly #database: SqliteDatabase.Database;
  readonly #list: SqliteDatabase.Statement<[UserKey], Buffer | null>;
  readonly #begin: SqliteDatabase.Statement;
  readonly #end: SqliteDatabase.Statement;
  #inSnapshot = false;

  /** `listSql` selects the list body of one user by id_hash: one row (NULL without a list), or none. */
  constructor(database: SqliteDatabase.Database, listSql: string) {
    this.#database = database;
    this.#list = database.prepare<[UserKey], Buffer | null>(listSql).pluck(true);
    this.#begin = database.prepare('BEGIN');
    this.#end = database.prepare('COMMIT');
  }

  listV1Body(user: UserKey): Buffer | null {
    if (!this.#inSnapshot) {
      this.#begin.run();
      this.#inSnapshot = true;
      setImmediate(this.refresh);
    }
    const body = this.#list.get(user);
    if (body === undefined) return null;
    return body ?? emptyV1ListBody();
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
}
