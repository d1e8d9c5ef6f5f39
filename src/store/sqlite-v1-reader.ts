import type SqliteDatabase from 'better-sqlite3';
import type { UserKey, V1Entry } from './store.js';

/**
 * The pull hot path on SQLite: Kysely's compiled list query, prepared once on a read-only connection
 * and run synchronously. It never waits behind a write transaction on the writer connection and never
 * sees one half-done (WAL gives it the last committed snapshot).
 */
export class SqliteV1Reader {
  readonly #database: SqliteDatabase.Database;
  readonly #list: SqliteDatabase.Statement<[UserKey], [string | null, string | null]>;

  /** `listSql` selects (enc_secret, name) of one user by id_hash, one row with NULLs for a user with none. */
  constructor(database: SqliteDatabase.Database, listSql: string) {
    this.#database = database;
    this.#list = database.prepare<[UserKey], [string | null, string | null]>(listSql).raw(true);
  }

  listV1(user: UserKey): V1Entry[] | null {
    const rows = this.#list.all(user);
    if (rows.length === 0) return null;
    const entries: V1Entry[] = [];
    for (const [encSecret, name] of rows) {
      if (encSecret !== null) entries.push({ encSecret, name });
    }
    return entries;
  }

  close(): void {
    this.#database.close();
  }
}
