import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database-schema.js';
import { KyselyStore } from '../../../src/store/kysely-store.js';
import { openSqliteDatabase, openSqliteReader } from '../../../src/store/sqlite/sqlite-connection.js';
import { SqliteReader } from '../../../src/store/sqlite/sqlite-reader.js';
import type { StoreWriter } from '../../../src/store/sqlite/sqlite-write-protocol.js';
import type { Store, UserKey } from '../../../src/store/store.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/databases.js';
import { expectAcknowledgedWritesRead, key } from '../store-scenarios.js';

// Only a SQLite file has a reader connection, and another connection to write through.
describe('the SQLite reader of a file store', () => {
  let database: TestDatabase;
  let store: Store;

  beforeEach(async () => {
    database = await openTestDatabase('sqlite-file');
    store = database.store;
  });
  afterEach(async () => {
    await database.dispose();
  });

  const bodyText = async (user: UserKey) => (await store.listV1Body(user))?.toString('utf8') ?? null;

  it('ends the shared read snapshot after a write, even one that settles within the turn', async () => {
    // The writer thread answers in a later turn, when the turn's snapshot has ended anyway; this
    // store writes through a second connection on this thread instead, all within one turn.
    const path = database.databaseUrl.slice('sqlite:'.length);
    const kysely = (): Kysely<Database> =>
      new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqliteDatabase(path) }) });
    const direct = new KyselyStore(kysely(), 'sqlite');
    const sameTurn: StoreWriter = {
      call: (method, args) => (direct[method] as (...values: typeof args) => Promise<never>).apply(direct, args),
      close: () => direct.close(),
    };
    const shared = new KyselyStore(kysely(), 'sqlite', {
      openReader: (queries) => new SqliteReader(openSqliteReader(path), queries),
      startWriteThread: () => Promise.resolve(sameTurn),
    });
    try {
      await shared.migrate();
      await expectAcknowledgedWritesRead(shared, true);
    } finally {
      await shared.close();
    }
  });

  it("sees another connection's writes from the next turn on", async () => {
    expect(await bodyText(key('dave'))).toBeNull();
    const path = database.databaseUrl.slice('sqlite:'.length);
    const other = new SqliteDatabase(path);
    try {
      other.pragma('busy_timeout = 5000');
      other.prepare('INSERT INTO users (id_hash, created_at) VALUES (?, 0)').run(key('dave'));
    } finally {
      other.close();
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(await bodyText(key('dave'))).toBe('{"totps":[]}');
  });
});
