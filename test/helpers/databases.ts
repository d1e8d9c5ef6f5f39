import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import type { StoreDialect } from '../../src/store/store.js';

/** PostgreSQL for tests: TEST_DATABASE_URL, else this machine kind's default server. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether PostgreSQL answers. In CI an unreachable database is a failure, not a skip; elsewhere the
 * PostgreSQL half of the suite is skipped with a loud reason.
 */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    const reason = `PostgreSQL at ${TEST_POSTGRES_URL} is unreachable (${error instanceof Error ? error.message : String(error)})`;
    if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
      throw new Error(`${reason}: CI must test PostgreSQL`, { cause: error });
    }
    console.warn(`\n*** SKIPPING PostgreSQL tests: ${reason}. Set TEST_DATABASE_URL to run them. ***\n`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A database the store suite runs against: SQLite in memory (through Kysely only), SQLite in a file
 * (which adds the read-only reader connection of the hot read path), and PostgreSQL.
 */
export type TestDatabaseKind = 'sqlite' | 'sqlite-file' | 'postgres';

/** The store dialect behind a test database kind. */
export function dialectOf(kind: TestDatabaseKind): StoreDialect {
  return kind === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * The databases every store test runs against: SQLite (in memory and in a file) always, PostgreSQL when
 * reachable. `TEST_DIALECTS=sqlite` (or `postgres`) narrows the run.
 */
export async function testDialects(): Promise<TestDatabaseKind[]> {
  const wanted = (process.env.TEST_DIALECTS ?? 'sqlite,postgres').split(',').map((name) => name.trim());
  const kinds: TestDatabaseKind[] = [];
  if (wanted.includes('sqlite')) kinds.push('sqlite', 'sqlite-file');
  if (wanted.includes('postgres') && (await postgresReachable())) kinds.push('postgres');
  return kinds;
}

export interface TestDatabase {
  readonly store: KyselyStore;
  /** The DATABASE_URL (and, for PostgreSQL, the schema) another process can use to reach the same data. */
  readonly databaseUrl: string;
  readonly schema?: string;
  /** Closes the store and drops the PostgreSQL schema. */
  dispose(): Promise<void>;
}

/** A fresh, migrated, empty database: SQLite in memory or in a new temporary file, or a new PostgreSQL schema. */
export async function openTestDatabase(kind: TestDatabaseKind | StoreDialect): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const store = await openStore({ databaseUrl: 'sqlite::memory:' });
    return { store, databaseUrl: 'sqlite::memory:', dispose: () => store.close() };
  }
  if (kind === 'sqlite-file') {
    const directory = mkdtempSync(join(tmpdir(), 'open2fa-store-'));
    const databaseUrl = `sqlite:${join(directory, 'store.db')}`;
    const store = await openStore({ databaseUrl });
    return {
      store,
      databaseUrl,
      dispose: async () => {
        await store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  const schema = await createTestSchema();
  const store = await openStore({ databaseUrl: TEST_POSTGRES_URL, schema, poolSize: 20 });
  return {
    store,
    databaseUrl: TEST_POSTGRES_URL,
    schema,
    dispose: async () => {
      await store.close();
      await dropTestSchema(schema);
    },
  };
}

/**
 * Gives every test of the enclosing suite a fresh database of `kind` (`use` receives it before the
 * test) and disposes of it after the test, so a failing test leaves nothing behind for the next one.
 */
export function freshDatabaseEachTest(
  kind: TestDatabaseKind | StoreDialect,
  use: (database: TestDatabase) => void,
): void {
  let database: TestDatabase | undefined;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
    use(database);
  });
  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });
}

/** A new empty PostgreSQL schema named `test_<random>`. */
export async function createTestSchema(): Promise<string> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  return schema;
}

export async function dropTestSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
