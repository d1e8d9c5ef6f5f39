import type SqliteDatabase from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { V2ItemsTable } from '../database-schema.js';
import type { AccountKey, UserKey } from '../store.js';
import { emptyV1ListBody } from '../v1-list-document.js';

/** The read queries the reader serves, as Kysely compiled them (`?` placeholders, in this order). */
export interface SqliteReaderQueries {
  /** The v1 list body of one user by id_hash: one row (NULL without a list), or none. */
  readonly v1ListBody: string;
  /** The row id and change counter of one v2 account by token hash, or no row. */
  readonly v2Owner: string;
  /** An account's v2 changes after a sequence number: parameters (account row id, since, row limit). */
  readonly v2Changes: string;
}

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
export class SqliteReader {
  readonly #database: SqliteDatabase.Database;
  readonly #v1ListBody: SqliteDatabase.Statement<[UserKey], Buffer | null>;
  readonly #v2Owner: SqliteDatabase.Statement<[AccountKey], { id: number; seq: number }>;
  readonly #v2Changes: SqliteDatabase.Statement<[number, number, number], Selectable<V2ItemsTable>>;
  readonly #begin: SqliteDatabase.Statement;
  readonly #end: SqliteDatabase.Statement;
  #inSnapshot = false;

  constructor(database: SqliteDatabase.Database, queries: SqliteReaderQueries) {
    this.#database = database;
    this.#v1ListBody = database.prepare<[UserKey], Buffer | null>(queries.v1ListBody).pluck(true);
    this.#v2Owner = database.prepare<[AccountKey], { id: number; seq: number }>(queries.v2Owner);
    this.#v2Changes = database.prepare<[number, number, number], Selectable<V2ItemsTable>>(queries.v2Changes);
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

  /** The account's row id and change counter, or undefined for an unknown account. */
  v2Owner(account: AccountKey): { id: number; seq: number } | undefined {
    this.#snapshot();
    return this.#v2Owner.get(account);
  }

  /** Up to `rows` of the account's changes after `since`, in sequence order. */
  v2Changes(ownerId: number, since: number, rows: number): Selectable<V2ItemsTable>[] {
    this.#snapshot();
    return this.#v2Changes.all(ownerId, since, rows);
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
