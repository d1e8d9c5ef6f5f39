import type { Kysely } from 'kysely';
import type { Database } from './database-schema.js';
import type { StoreDialect } from './store.js';

/**
 * What the protocol repositories (v1-repository.ts, v2-repository.ts) share: the database, and how a
 * write holds the row it orders on. SQLite has one writer, so its transactions are serial anyway;
 * PostgreSQL takes `FOR UPDATE`.
 */
export abstract class Repository {
  protected readonly db: Kysely<Database>;
  readonly #lockRows: boolean;

  constructor(db: Kysely<Database>, dialect: StoreDialect) {
    this.db = db;
    this.#lockRows = dialect === 'postgres';
  }

  /** `query`, made to lock the rows it reads until the transaction ends where the dialect needs it. */
  protected locking<Query extends { forUpdate(): Query }>(query: Query): Query {
    return this.#lockRows ? query.forUpdate() : query;
  }
}
