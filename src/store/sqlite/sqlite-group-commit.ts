import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type TransactionSettings } from 'kysely';
import { withStatementCache } from './sqlite-connection.js';

/** The writes one shared transaction takes at most: its first write is answered after the last has run. */
export const MAX_GROUP_WRITES = 128;

/** One write of a group: it runs a store method, whose Kysely transaction becomes a savepoint. */
export type GroupWrite = () => Promise<unknown>;

/** What became of one write of a group, once the group's commit is on disk (or has failed). */
export type GroupOutcome = { readonly value: unknown } | { readonly error: unknown };

/**
 * Group commit on the writer thread's connection (sqlite-write-worker.ts). The writes that queued up
 * while the previous commit waited for the disk run one after another in ONE transaction, so they share
 * its fsync (`synchronous=FULL`), the one thing a durable write cannot do without and by far its
 * largest cost (bench/profile-notes.md). Each write's own transaction, as the repositories open it
 * through Kysely, becomes a savepoint (GroupCommitDialect): a write that fails or answers "no" (a
 * quota, a v2 conflict) rolls back to it and leaves its neighbours' changes in place. Every outcome is
 * held until the commit has returned, so no write is answered before its data is durable; a failed
 * commit fails every write of the group, as it would have failed each one's own commit.
 */
export class GroupCommit {
  readonly #database: SqliteDatabase.Database;
  readonly #begin: SqliteDatabase.Statement;
  readonly #commit: SqliteDatabase.Statement;
  readonly #rollback: SqliteDatabase.Statement;
  #open = false;
  /** Savepoints taken and not yet released: one while a write runs, none between writes. */
  #savepoints = 0;

  constructor(database: SqliteDatabase.Database) {
    this.#database = database;
    // IMMEDIATE: the write lock is taken (waiting up to busy_timeout for another process) before any
    // write reads, so no write of the group can meet SQLITE_BUSY_SNAPSHOT half-way.
    this.#begin = database.prepare('BEGIN IMMEDIATE');
    this.#commit = database.prepare('COMMIT');
    this.#rollback = database.prepare('ROLLBACK');
  }

  /** Kysely's SQLite dialect for the store on this connection: its transactions join the open group. */
  dialect(): SqliteDialect {
    return new GroupCommitDialect({ database: withStatementCache(this.#database) }, this);
  }

  /** True while a group's transaction is open: a store transaction is then a savepoint in it. */
  get open(): boolean {
    return this.#open;
  }

  /** `false` once SQLite has rolled the whole transaction back by itself (SQLITE_FULL, SQLITE_IOERR…). */
  get alive(): boolean {
    return this.#database.inTransaction;
  }

  /** SavepointDriver's bookkeeping: a write's savepoint was taken, or is gone (released or rolled back). */
  savepointTaken(): void {
    this.#savepoints++;
  }

  savepointGone(): void {
    this.#savepoints = Math.max(0, this.#savepoints - 1);
  }

  /**
   * Runs the writes in one transaction, in order, and commits it once: the outcome of each, in the same
   * order, once the commit is durable. When a write's error makes SQLite drop the whole transaction,
   * the writes before it have been undone with it: they run again, with the rest, in a new one.
   */
  async run(writes: readonly GroupWrite[]): Promise<GroupOutcome[]> {
    const outcomes = new Array<GroupOutcome>(writes.length);
    let pending = writes.map((_, index) => index);
    while (pending.length > 0) {
      try {
        this.#begin.run();
      } catch (error) {
        for (const index of pending) outcomes[index] = { error };
        return outcomes;
      }
      const dropped = await this.#runAll(writes, pending, outcomes);
      if (dropped !== undefined) {
        pending = pending.filter((index) => index !== dropped);
        continue;
      }
      try {
        this.#commit.run();
      } catch (error) {
        for (const index of pending) outcomes[index] = { error };
        if (this.#database.inTransaction) this.#rollback.run();
      }
      return outcomes;
    }
    return outcomes;
  }

  /** Runs the pending writes in the open transaction; the index of one that made SQLite drop it, if any. */
  async #runAll(
    writes: readonly GroupWrite[],
    pending: readonly number[],
    outcomes: GroupOutcome[],
  ): Promise<number | undefined> {
    this.#open = true;
    this.#savepoints = 0;
    try {
      for (const index of pending) {
        const write = writes[index];
        if (write === undefined) continue;
        try {
          outcomes[index] = { value: await write() };
        } catch (error) {
          outcomes[index] = { error };
          if (!this.#database.inTransaction) return index;
          // Its savepoint could not be rolled back (ROLLBACK TO or RELEASE failed): its changes may still
          // be in the transaction, so the whole of it goes, and the others run again in a new one.
          if (this.#savepoints !== 0) {
            this.#savepoints = 0;
            this.#rollback.run();
            return index;
          }
        }
      }
      return undefined;
    } finally {
      this.#open = false;
    }
  }
}

/** SqliteDialect whose driver turns a transaction into a savepoint of the open group (GroupCommit). */
class GroupCommitDialect extends SqliteDialect {
  readonly #group: GroupCommit;

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0], group: GroupCommit) {
    super(config);
    this.#group = group;
  }

  override createDriver(): Driver {
    return new SavepointDriver(super.createDriver(), this.#group);
  }
}

/** The savepoint every store transaction of a group takes: writes run one at a time, never nested. */
const SAVEPOINT = CompiledQuery.raw('SAVEPOINT group_write');
const RELEASE = CompiledQuery.raw('RELEASE group_write');
const ROLLBACK_TO = CompiledQuery.raw('ROLLBACK TO group_write');

class SavepointDriver implements Driver {
  readonly #driver: Driver;
  readonly #group: GroupCommit;

  constructor(driver: Driver, group: GroupCommit) {
    this.#driver = driver;
    this.#group = group;
  }

  init(): Promise<void> {
    return this.#driver.init();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return this.#driver.acquireConnection();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (!this.#group.open) return this.#driver.beginTransaction(connection, settings);
    await connection.executeQuery(SAVEPOINT);
    this.#group.savepointTaken();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.#group.open) return this.#driver.commitTransaction(connection);
    await connection.executeQuery(RELEASE);
    this.#group.savepointGone();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.#group.open) return this.#driver.rollbackTransaction(connection);
    // After SQLite dropped the whole transaction there is no savepoint left; the write's own error
    // (which Kysely throws once this returns) says why, and GroupCommit.run sees the loss.
    if (!this.#group.alive) return;
    await connection.executeQuery(ROLLBACK_TO);
    await connection.executeQuery(RELEASE);
    this.#group.savepointGone();
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#driver.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.#driver.destroy();
  }
}
