import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { Database } from './database-schema.js';
import { SqliteReader, type SqliteReaderQueries } from './sqlite-reader.js';
import type { StoreWriter, WriteArgs, WriteMethod, WriteValue } from './sqlite-write-protocol.js';
import { LATEST_MIGRATION, migrationProvider } from './migrations-provider.js';
import type {
  PushV1Result,
  Store,
  StoreDialect,
  StoreStats,
  UserKey,
  V1Entry,
  V2AuthResult,
  V2Changes,
  V2WriteResult,
} from './store.js';
import { authResult, changesPage, NO_CHANGES, V2Repository } from './v2-repository.js';
import { emptyV1ListBody, v1ListBody } from './v1-list-document.js';

/** Rows per INSERT statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 200;

/**
 * The `Store` over Kysely; the dialect-specific parts (connection, pragmas, row locking) are chosen by
 * `dialect`. Both databases run the same SQL otherwise.
 */
export interface KyselyStoreOptions {
  /** SQLite file databases: opens a read-only connection for the hot read path. */
  readonly openReader?: () => SqliteDatabase.Database;
  /** SQLite file databases: starts the thread that runs every write off the event loop. */
  readonly startWriteThread?: () => Promise<StoreWriter>;
}

export class KyselyStore implements Store {
  readonly dialect: StoreDialect;
  readonly #db: Kysely<Database>;
  readonly #options: KyselyStoreOptions;
  readonly #v2: V2Repository;
  #reader: SqliteReader | undefined;
  #writeThread: StoreWriter | undefined;

  constructor(db: Kysely<Database>, dialect: StoreDialect, options: KyselyStoreOptions = {}) {
    this.#db = db;
    this.dialect = dialect;
    this.#options = options;
    this.#v2 = new V2Repository(db, dialect);
  }

  v2Authenticate(user: UserKey, tokenHash: Uint8Array, bind: boolean): Promise<V2AuthResult> {
    if (bind)
      return this.#write('v2Authenticate', [user, tokenHash, bind], () => this.#v2.authenticate(user, tokenHash, bind));
    if (this.#reader === undefined) return this.#v2.authenticate(user, tokenHash, bind);
    return Promise.resolve(authResult(this.#reader.v2Token(user) ?? null, tokenHash));
  }

  v2Changes(user: UserKey, since: number, limit: number): Promise<V2Changes> {
    const reader = this.#reader;
    if (reader === undefined) return this.#v2.changes(user, since, limit);
    const owner = reader.v2Owner(user);
    if (owner === undefined) return Promise.resolve(NO_CHANGES);
    // One row more than asked tells whether more follow (as V2Repository.changes).
    return Promise.resolve(changesPage(owner, reader.v2Changes(owner.id, since, limit + 1), limit));
  }

  v2Put(user: UserKey, itemId: string, baseRev: number, envelope: string, maxItems: number): Promise<V2WriteResult> {
    return this.#write('v2Put', [user, itemId, baseRev, envelope, maxItems], () =>
      this.#v2.put(user, itemId, baseRev, envelope, maxItems),
    );
  }

  v2Delete(user: UserKey, itemId: string, baseRev: number): Promise<V2WriteResult> {
    return this.#write('v2Delete', [user, itemId, baseRev], () => this.#v2.delete(user, itemId, baseRev));
  }

  /**
   * A write: on the writer thread when there is one (the same method of the same class runs there, on
   * its own connection), else here. The reader's shared snapshot (sqlite-reader.ts) is ended before
   * it begins, so the commit's checkpoint is not held back by it, and again before it settles:
   * whoever is told the write happened reads it from then on.
   */
  #write<M extends WriteMethod>(
    method: M,
    args: WriteArgs<M>,
    here: () => Promise<WriteValue<M>>,
  ): Promise<WriteValue<M>> {
    const thread = this.#writeThread;
    const write = thread === undefined ? here : () => thread.call(method, args);
    const reader = this.#reader;
    if (reader === undefined) return write();
    reader.refresh();
    return write().finally(reader.refresh);
  }

  /** Applies pending migrations; throws with the failing migration's name. */
  async migrate(): Promise<void> {
    // Kysely looks for its bookkeeping table in every schema unless told which; with several
    // deployments (or test runs) in one PostgreSQL database, pin it to the schema in use.
    const schema =
      this.dialect === 'postgres'
        ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(this.#db)).rows[0]?.schema
        : undefined;
    const migrator = new Migrator({
      db: this.#db,
      provider: migrationProvider(this.dialect),
      ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`database migration ${failed} failed`, { cause: error });
    }
    if (this.#options.openReader !== undefined && this.#reader === undefined) {
      this.#reader = new SqliteReader(this.#options.openReader(), this.#readerQueries());
    }
    if (this.#options.startWriteThread !== undefined && this.#writeThread === undefined) {
      this.#writeThread = await this.#options.startWriteThread();
    }
  }

  async listV1(user: UserKey): Promise<readonly V1Entry[] | null> {
    const rows = await this.#db
      .selectFrom('users')
      .leftJoin('v1_totps', 'v1_totps.user_id', 'users.id')
      .select(['v1_totps.enc_secret', 'v1_totps.name'])
      .where('users.id_hash', '=', user)
      .orderBy('v1_totps.id')
      .execute();
    if (rows.length === 0) return null;
    const entries: V1Entry[] = [];
    for (const row of rows) {
      if (row.enc_secret !== null) entries.push({ encSecret: row.enc_secret, name: row.name });
    }
    return entries;
  }

  /** The SQL of the reader's queries, compiled by Kysely from the same builders the store runs. */
  #readerQueries(): SqliteReaderQueries {
    const anyUser = new Uint8Array();
    // The reader binds the changes query's parameters by position: make sure of their order.
    const changes = this.#v2.changesQuery(-1, -2, -3).compile();
    if (changes.parameters.join() !== '-1,-2,-3') {
      throw new Error(`unexpected parameter order in the v2 changes query: ${changes.parameters.join()}`);
    }
    return {
      v1ListBody: this.#listV1BodyQuery(anyUser).compile().sql,
      v2Token: this.#v2.tokenQuery(anyUser).compile().sql,
      v2Owner: this.#v2.ownerQuery(anyUser).compile().sql,
      v2Changes: changes.sql,
    };
  }

  /** One row: the user, and the list body when the user has ever stored an entry. */
  #listV1BodyQuery(user: UserKey) {
    return this.#db
      .selectFrom('users')
      .leftJoin('v1_lists', 'v1_lists.user_id', 'users.id')
      .select('v1_lists.body')
      .where('users.id_hash', '=', user);
  }

  async listV1Body(user: UserKey): Promise<Buffer | null> {
    if (this.#reader !== undefined) return this.#reader.listV1Body(user);
    const row = await this.#listV1BodyQuery(user).executeTakeFirst();
    if (row === undefined) return null;
    return row.body === null
      ? emptyV1ListBody()
      : Buffer.from(row.body.buffer, row.body.byteOffset, row.body.byteLength);
  }

  async pushV1(user: UserKey, entries: readonly V1Entry[], maxEntries: number): Promise<PushV1Result> {
    const latest = new Map<string, string | null>();
    for (const entry of entries) {
      latest.delete(entry.encSecret); // keep the position of the last occurrence
      latest.set(entry.encSecret, entry.name);
    }
    const write = (): Promise<PushV1Result> =>
      this.#db
        .transaction()
        .execute(async (trx) => {
          const now = Date.now();
          const { userId, created } = await this.#lockOrCreateUser(trx, user, now);
          const incoming = [...latest.keys()];
          const [count, existing] = await Promise.all([
            trx
              .selectFrom('v1_totps')
              .select((eb) => eb.fn.countAll<number | string>().as('n'))
              .where('user_id', '=', userId)
              .executeTakeFirstOrThrow(),
            incoming.length === 0
              ? Promise.resolve([])
              : trx
                  .selectFrom('v1_totps')
                  .select('enc_secret')
                  .where('user_id', '=', userId)
                  .where('enc_secret', 'in', incoming)
                  .execute(),
          ]);
          const added = incoming.length - existing.length;
          if (Number(count.n) + added > maxEntries) {
            // Nothing written: the transaction rolls back the user row too.
            throw new QuotaExceeded(maxEntries);
          }
          const rows = incoming.map((encSecret) => ({
            user_id: userId,
            enc_secret: encSecret,
            name: latest.get(encSecret) ?? null,
            created_at: now,
            updated_at: now,
          }));
          for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
            await trx
              .insertInto('v1_totps')
              .values(rows.slice(start, start + INSERT_CHUNK))
              .onConflict((conflict) =>
                conflict.columns(['user_id', 'enc_secret']).doUpdateSet((eb) => ({
                  name: eb.ref('excluded.name'),
                  updated_at: eb.ref('excluded.updated_at'),
                })),
              )
              .execute();
          }
          const list = await this.#rewriteV1Body(trx, userId);
          return { status: 'ok' as const, userCreated: created, entries: list };
        })
        .catch((error: unknown) => {
          if (error instanceof QuotaExceeded) return { status: 'quota_exceeded' as const, limit: error.limit };
          throw error;
        });
    return this.#write('pushV1', [user, entries, maxEntries], write);
  }

  async deleteV1(user: UserKey, encSecrets: readonly string[]): Promise<number | null> {
    const write = (): Promise<number | null> =>
      this.#db.transaction().execute(async (trx) => {
        // PostgreSQL: the user's lock, so a concurrent push and delete rewrite the list document one
        // after the other, each from the rows the other committed.
        let query = trx.selectFrom('users').select('id').where('id_hash', '=', user);
        if (this.dialect === 'postgres') query = query.forUpdate();
        const found = await query.executeTakeFirst();
        if (found === undefined) return null;
        if (encSecrets.length === 0) return 0;
        const result = await trx
          .deleteFrom('v1_totps')
          .where('user_id', '=', found.id)
          .where('enc_secret', 'in', [...new Set(encSecrets)])
          .executeTakeFirst();
        const deleted = Number(result.numDeletedRows);
        if (deleted > 0) await this.#rewriteV1Body(trx, found.id);
        return deleted;
      });
    return this.#write('deleteV1', [user, encSecrets], write);
  }

  /**
   * Rewrites the user's list body from the rows, inside the transaction that changed them, and returns
   * the entries it was made of (insertion order).
   */
  async #rewriteV1Body(trx: Transaction<Database>, userId: number): Promise<V1Entry[]> {
    const rows = await trx
      .selectFrom('v1_totps')
      .select(['enc_secret', 'name'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    const entries = rows.map((row) => ({ encSecret: row.enc_secret, name: row.name }));
    const body = v1ListBody(entries);
    await trx
      .insertInto('v1_lists')
      .values({ user_id: userId, body })
      .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ body }))
      .execute();
    return entries;
  }

  async stats(): Promise<StoreStats> {
    const [users, entries] = await Promise.all([
      this.#db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow(),
      this.#db
        .selectFrom('v1_totps')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { users: Number(users.n), entries: Number(entries.n) };
  }

  async ping(): Promise<void> {
    const row = await this.#db
      .withTables<{ kysely_migration: { name: string } }>()
      .selectFrom('kysely_migration')
      .select('name')
      .orderBy('name', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row?.name !== LATEST_MIGRATION) {
      throw new Error('database schema is not at the latest migration');
    }
  }

  async close(): Promise<void> {
    // The thread stays set: it finishes the writes already sent, then refuses any more.
    await this.#writeThread?.close();
    this.#reader?.close();
    this.#reader = undefined;
    await this.#db.destroy();
  }

  /**
   * Returns the user's row id, creating the row if needed, and holds the user's lock until the
   * transaction ends, so concurrent pushes for one user cannot both pass the quota check.
   * (SQLite serialises writers on its own; PostgreSQL needs `FOR UPDATE`.)
   */
  async #lockOrCreateUser(
    trx: Transaction<Database>,
    user: UserKey,
    now: number,
  ): Promise<{ userId: number; created: boolean }> {
    const inserted = await trx
      .insertInto('users')
      .values({ id_hash: user, created_at: now })
      .onConflict((conflict) => conflict.column('id_hash').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted !== undefined) return { userId: inserted.id, created: true };
    let query = trx.selectFrom('users').select('id').where('id_hash', '=', user);
    if (this.dialect === 'postgres') query = query.forUpdate();
    const existing = await query.executeTakeFirstOrThrow();
    return { userId: existing.id, created: false };
  }
}

class QuotaExceeded extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`more than ${String(limit)} entries`);
    this.limit = limit;
  }
}
