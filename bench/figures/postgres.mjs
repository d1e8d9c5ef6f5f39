// Figure 5: pull and push on PostgreSQL with one and with two server processes on one fresh schema.
// The load is always two autocannon instances (half the connections each), aimed at one process or
// at one each, so the client side is identical and only the number of servers changes.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { makeUser, pullPushSpecs, pushOverHttp } from '../lib/fixtures.mjs';
import { interleave, runLoad } from '../lib/load.mjs';
import { startServer } from '../lib/processes.mjs';
import { fmt, verdict } from '../lib/report.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */

export const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * @param {BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Section[]>}
 */
export async function measurePostgres(ctx) {
  const unreachable = await reachability();
  if (unreachable !== null) {
    ctx.progress(`postgres: skipped (${unreachable})`);
    return [
      {
        title: 'PostgreSQL: one and two server instances',
        lines: [`Skipped: PostgreSQL at ${POSTGRES_URL} is unreachable (${unreachable}). Set BENCH_DATABASE_URL.`],
        verdicts: [verdict('PostgreSQL pull and push', null, 'PostgreSQL unreachable, not measured')],
      },
    ];
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const databaseUrl = `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const servers = [];
  try {
    // One after the other: the first applies the migrations.
    for (let index = 0; index < 2; index++) servers.push(await startServer({ DATABASE_URL: databaseUrl }));
    const [first, second] = servers;
    if (first === undefined || second === undefined) throw new Error('servers did not start');
    const user = await makeUser(20);
    await pushOverHttp(first.origin, user.credentials.id, user.body);
    const { pull, push } = pullPushSpecs(user);
    const load = { connections: ctx.connections, seconds: ctx.seconds };
    const one = [first.origin, first.origin];
    const two = [first.origin, second.origin];
    for (const spec of [pull, push]) await runLoad(two, spec, { ...load, seconds: ctx.warmupSeconds });
    ctx.progress(`postgres (schema ${schema}): pull and push, 1 and 2 instances, interleaved`);
    const result = await interleave(
      {
        'pull, 1 instance': () => runLoad(one, pull, load),
        'pull, 2 instances': () => runLoad(two, pull, load),
        'push, 1 instance': () => runLoad(one, push, load),
        'push, 2 instances': () => runLoad(two, push, load),
      },
      ctx.rounds,
      ctx.progress,
    );
    const rows = Object.entries(result).map(
      ([name, figures]) =>
        `| ${name} | ${fmt(figures.rps, 0)} | ${fmt(figures.p50, 2)} | ${fmt(figures.p99, 2)} | ${String(figures.errors)} |`,
    );
    const pullScaling = result['pull, 2 instances'].rps / result['pull, 1 instance'].rps;
    const pushScaling = result['push, 2 instances'].rps / result['push, 1 instance'].rps;
    return [
      {
        title: 'PostgreSQL: one and two server instances',
        lines: [
          `PostgreSQL ${await serverVersion()} on this machine, a fresh schema, PG_POOL_SIZE=10 per process; the user holds 20 entries, push sends the same 20 (upsert, one user: pushes serialise on the user's row lock). Two autocannon instances of ${String(ctx.connections / 2)} connections each, aimed at one process or one each; ${String(ctx.rounds)} × ${String(ctx.seconds)} s per case, interleaved, medians.`,
          '',
          '| case | req/s | p50 ms | p99 ms | errors |',
          '| --- | ---: | ---: | ---: | ---: |',
          ...rows,
          '',
          `**Two instances / one: pull ${fmt(pullScaling, 2)} ×, push ${fmt(pushScaling, 2)} ×.** On a 2-core machine the load generator, PostgreSQL and the servers compete for the same cores, so this shows that a second instance works on a shared database rather than how far it scales on separate hosts.`,
        ],
        verdicts: [
          verdict(
            'PostgreSQL: two instances serve side by side',
            result['pull, 2 instances'].errors + result['push, 2 instances'].errors === 0,
            `pull ${fmt(result['pull, 1 instance'].rps, 0)} → ${fmt(result['pull, 2 instances'].rps, 0)} req/s, push ${fmt(result['push, 1 instance'].rps, 0)} → ${fmt(result['push, 2 instances'].rps, 0)} req/s (no target; errors must be 0)`,
          ),
        ],
        data: {
          pull: [result['pull, 1 instance'].rps, result['pull, 2 instances'].rps],
          push: [result['push, 1 instance'].rps, result['push, 2 instances'].rps],
        },
      },
    ];
  } finally {
    for (const server of servers) await server.stop();
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  }
}

/** @returns {Promise<string | null>} why PostgreSQL cannot be used, or null */
export async function reachability() {
  try {
    await adminQuery('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function serverVersion() {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const result = await client.query('SHOW server_version');
    return String(result.rows[0]?.server_version ?? '?');
  } finally {
    await client.end();
  }
}

/** @param {string} sql */
export async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
