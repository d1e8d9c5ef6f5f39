import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUuid } from '../../src/core/index.js';
import { createTestSchema, dropTestSchema, postgresReachable, TEST_POSTGRES_URL } from '../helpers/databases.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { V1TestClient, type PlainTotp } from '../helpers/v1-client.js';

const reachable = await postgresReachable();

/** A DATABASE_URL for one fresh schema, tagged with an application name so the test can find its connections. */
function databaseUrl(schema: string, application: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', application);
  return url.toString();
}

describe.skipIf(!reachable)('several server processes on one PostgreSQL database', () => {
  let schema: string;
  let application: string;
  const servers: ServerProcess[] = [];

  beforeEach(async () => {
    schema = await createTestSchema();
    application = `open2fa-test-${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.kill()));
    await dropTestSchema(schema);
  });

  async function startPair(): Promise<[ServerProcess, ServerProcess]> {
    const env = { DATABASE_URL: databaseUrl(schema, application), RATE_LIMIT_MAX: '0' };
    // Both start at once: the migration lock must keep them from migrating twice.
    const pair = await Promise.all([spawnServer(env), spawnServer(env)]);
    servers.push(...pair);
    return pair;
  }

  it('a client pushes through one instance and pulls through the other', async () => {
    const [a, b] = await startPair();
    const uuid = randomUuid();
    const secrets: PlainTotp[] = [
      { secret: 'JBSWY3DPEHPK3PXP', name: 'GitHub' },
      { secret: 'I65VU7K5ZQL7WB4E', name: 'Mail' },
    ];
    await new V1TestClient(`${a.origin}/api/v1`, uuid).push(secrets);
    expect(await new V1TestClient(`${b.origin}/api/v1`, uuid).pull()).toEqual(secrets);
  });

  it('8 concurrent writers × 25 pushes over both instances leave every entry exactly once', async () => {
    const [a, b] = await startPair();
    const uuid = randomUuid();
    const writers = Array.from({ length: 8 }, (_, writer) => writer);
    const statuses = new Map<number, number>();
    await Promise.all(
      writers.map(async (writer) => {
        for (let index = 0; index < 25; index++) {
          const server = (writer + index) % 2 === 0 ? a : b;
          const client = new V1TestClient(`${server.origin}/api/v1`, uuid);
          // Each push carries the writer's new entry and one entry every writer shares.
          await client.push([
            { secret: entrySecret(writer, index), name: `w${String(writer)}` },
            { secret: 'SHAREDSHAREDSHAR', name: `last writer ${String(writer)}` },
          ]);
          statuses.set(200, (statuses.get(200) ?? 0) + 1);
        }
      }),
    );
    expect(statuses.get(200)).toBe(200);
    const stored = await new V1TestClient(`${a.origin}/api/v1`, uuid).pull();
    expect(stored).toHaveLength(8 * 25 + 1);
    const expected = new Set(
      writers.flatMap((writer) => Array.from({ length: 25 }, (_, index) => entrySecret(writer, index))),
    );
    expected.add('SHAREDSHAREDSHAR');
    expect(new Set(stored.map((entry) => entry.secret))).toEqual(expected);
  });

  it('answers 503 while its database connections are cut, then recovers without a restart', async () => {
    const [a] = await startPair();
    const uuid = randomUuid();
    const client = new V1TestClient(`${a.origin}/api/v1`, uuid);
    await client.push([{ secret: 'JBSWY3DPEHPK3PXP', name: 'x' }]);
    const { id } = await import('../../src/core/index.js').then((core) => core.deriveV1Credentials(uuid));

    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    try {
      // Hold the table so the server's queries are in flight, then cut every connection of this test's servers.
      await admin.query('BEGIN');
      await admin.query(`LOCK TABLE ${schema}.users IN ACCESS EXCLUSIVE MODE`);
      const inFlight = Array.from({ length: 6 }, () =>
        fetch(`${a.origin}/api/v1/totps`, { headers: { 'X-User-Hash': id } }),
      );
      await waitFor(async () => {
        const waiting = await admin.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
          [application],
        );
        return (waiting.rows[0] as { n: number }).n > 0;
      });
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
        application,
      ]);
      await admin.query('ROLLBACK');
      const responses = await Promise.all(inFlight).catch((error: unknown) => {
        throw new Error(`server output:\n${a.output()}`, { cause: error });
      });
      const statuses = responses.map((response) => response.status);
      expect(statuses.every((status) => status === 503 || status === 200)).toBe(true);
      expect(statuses).toContain(503);
      const refused = responses.find((response) => response.status === 503);
      expect(await refused?.json()).toEqual({ detail: 'the database is unavailable; try again shortly' });
      expect(refused?.headers.get('retry-after')).toBe('5');
    } finally {
      await admin.end();
    }

    // Recovery: the pool drops the cut connections and opens fresh ones by itself. An idle connection whose
    // cut the server has not read yet may still answer one request with 503 (and Retry-After), so recovery
    // is ten answers in a row that are all 200, soon, from the same process.
    let after: number[] = [];
    await waitFor(async () => {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => fetch(`${a.origin}/api/v1/totps`, { headers: { 'X-User-Hash': id } })),
      );
      after = answers.map((response) => response.status);
      expect(after.every((status) => status === 200 || status === 503)).toBe(true);
      return after.every((status) => status === 200);
    }, 5_000).catch((error: unknown) => {
      throw new Error(`no recovery: last answers ${after.join(', ')}`, { cause: error });
    });
    expect((await fetch(`${a.origin}/readyz`)).status).toBe(200);
    expect(a.child.exitCode).toBeNull();
  });
});

function entrySecret(writer: number, index: number): string {
  return `WRITER${String.fromCharCode(65 + writer)}ENTRY${String.fromCharCode(65 + (index % 26))}${String.fromCharCode(65 + Math.floor(index / 26))}`;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met in time');
}
