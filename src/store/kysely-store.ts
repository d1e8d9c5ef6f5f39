import { Migrator, sql, type Kysely } from 'kysely';
import type { Database } from './database-schema.js';
import { LATEST_MIGRATION, migrationProvider } from './migrations-provider.js';
import type { ReaderQueries, StoreReader } from './store-reader.js';
import type { StoreWriter, WriteArgs, WriteMethod, WriteValue } from './sqlite/sqlite-write-protocol.js';
import type {
  AccountKey,
  PushV1Result,
  Store,
  StoreDialect,
  StoreStats,
  UserKey,
  V1Entry,
  V2Changes,
  V2WriteResult,
} from './store.js';
import { V1Repository } from './v1-repository.js';
import {
  changesPage,
  changesPageBody,
  NO_VERSION,
  pageVersion,
  type V2PageRow,
  type V2PageVersion,
} from './v2-changes-page.js';
import { sameVersion, V2PageCache } from './v2-page-cache.js';
import { V2Repository } from './v2-repository.js';

/** The dialects' fast paths (sqlite/sqlite-store.ts, postgres/postgres-store.ts); `:memory:` has none. */
export interface KyselyStoreOptions {
  /** Opens the hot read path (store-reader.ts) for the compiled queries, once migrated. */
  readonly openReader?: (queries: ReaderQueries) => StoreReader;
  /** Starts the thread that runs every write off the event loop. */
  readonly startWriteThread?: () => Promise<StoreWriter>;
}

/**
 * The `Store` over Kysely: the v1 and v2 repositories on one database, which both dialects run the
 * same SQL on (the dialect only picks row locking). On a SQLite file, reads take the reader connection
 * and writes the writer thread when they are there.
 */
export class KyselyStore implements Store {
  readonly dialect: StoreDialect;
  readonly #db: Kysely<Database>;
  readonly #options: KyselyStoreOptions;
  readonly #v1: V1Repository;
  readonly #v2: V2Repository;
  readonly #pages = new V2PageCache();
  #reader: StoreReader | undefined;
  #writeThread: StoreWriter | undefined;

  constructor(db: Kysely<Database>, dialect: StoreDialect, options: KyselyStoreOptions = {}) {
    this.#db = db;
    this.dialect = dialect;
    this.#options = options;
    this.#v1 = new V1Repository(db, dialect);
    this.#v2 = new V2Repository(db, dialect);
  }

  listV1(user: UserKey): Promise<readonly V1Entry[] | null> {
    return this.#v1.list(user);
  }

  listV1Body(user: UserKey): Promise<Buffer | null> {
    if (this.#reader !== undefined) return Promise.resolve(this.#reader.listV1Body(user));
    return this.#v1.listBody(user);
  }

  pushV1(...args: WriteArgs<'pushV1'>): Promise<PushV1Result> {
    return this.#write('pushV1', args, () => this.#v1.push(...args));
  }

  deleteV1(...args: WriteArgs<'deleteV1'>): Promise<number | null> {
    return this.#write('deleteV1', args, () => this.#v1.delete(...args));
  }

  deleteV1Account(...args: WriteArgs<'deleteV1Account'>): Promise<number | null> {
    return this.#write('deleteV1Account', args, () => this.#v1.deleteAccount(...args));
  }

  async v2Changes(account: AccountKey, since: number, limit: number): Promise<V2Changes | null> {
    const rows = await this.#v2Page(account, since, limit, NO_VERSION);
    return rows.length === 0 ? null : changesPage(rows, limit);
  }

  async v2ChangesBody(account: AccountKey, since: number, limit: number): Promise<Buffer | null> {
    const held = this.#pages.held(account, since, limit);
    // With a reader, a held page is checked against the account's row alone first: the page query costs
    // SQLite a visit of every item even when its join excludes them all (20 µs for 20 items against 1 µs),
    // and PostgreSQL 39 µs of its CPU against 15 (bench/profile-notes.md). A changed page costs a second read.
    if (held !== undefined && this.#reader !== undefined) {
      const current = await this.#reader.v2Version(account);
      if (current === undefined) return null;
      if (sameVersion(held.version, current)) return held.body;
    }
    const rows = await this.#v2Page(account, since, limit, held?.version ?? NO_VERSION);
    const first = rows[0];
    if (first === undefined) return null;
    const version = pageVersion(first);
    // The statement skipped the items: the account's row is the one the held answer was made from.
    if (held !== undefined && sameVersion(held.version, version)) return held.body;
    const body = changesPageBody(rows, limit);
    this.#pages.keep(account, since, limit, version, body);
    return body;
  }

  /** The rows of one sync: `limit + 1` rows tell whether more follow (V2Repository.changesPageQuery). */
  #v2Page(account: AccountKey, since: number, limit: number, held: V2PageVersion): Promise<V2PageRow[]> {
    const reader = this.#reader;
    if (reader !== undefined) return Promise.resolve(reader.v2ChangesPage(account, since, limit + 1, held));
    return this.#v2.changesPageQuery(account, since, limit + 1, held).execute();
  }

  v2Put(...args: WriteArgs<'v2Put'>): Promise<V2WriteResult> {
    return this.#write('v2Put', args, () => this.#v2.put(...args));
  }

  v2Delete(...args: WriteArgs<'v2Delete'>): Promise<V2WriteResult> {
    return this.#write('v2Delete', args, () => this.#v2.delete(...args));
  }

  v2DeleteAccount(...args: WriteArgs<'v2DeleteAccount'>): Promise<number | null> {
    return this.#write('v2DeleteAccount', args, () => this.#v2.deleteAccount(...args));
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
    // The account's kept answer is forgotten too, before and after: a sync that read the old state
    // while the write ran must not leave it behind (v2-page-cache.ts checks the version besides).
    const account = method.startsWith('v2') ? (args[0] as AccountKey) : undefined;
    const settled = () => {
      this.#reader?.refresh();
      if (account !== undefined) this.#pages.forget(account);
    };
    settled();
    return write().finally(settled);
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
      this.#reader = this.#options.openReader(this.#readerQueries());
    }
    if (this.#options.startWriteThread !== undefined && this.#writeThread === undefined) {
      this.#writeThread = await this.#options.startWriteThread();
    }
  }

  /** The SQL of the reader's queries, compiled by Kysely from the same builders the repositories run. */
  #readerQueries(): ReaderQueries {
    const anyUser = new Uint8Array();
    // The reader binds the page query's parameters by position: make sure of their order.
    const account = new Uint8Array(1);
    const page = this.#v2.changesPageQuery(account, -4, -6, { id: -1, seq: -2, createdAt: -3 }).compile();
    const order = page.parameters.map((value) => (value === account ? -5 : value)).join();
    if (order !== '-1,-2,-3,-4,-5,-6') {
      throw new Error(`unexpected parameter order in the v2 changes page query: ${order}`);
    }
    return {
      v1ListBody: this.#v1.listBodyQuery(anyUser).compile().sql,
      v2ChangesPage: page.sql,
      v2Version: this.#v2.versionQuery(anyUser).compile().sql,
    };
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
}
