// Figure 5b: the read paths on PostgreSQL against the same reads on SQLite, one server process each,
// measured side by side in one run: the v1 pull (20 entries) and the v2 sync (GET /api/v2/items?since=0,
// 20 envelopes). Each server runs alone while it is measured; runs alternate (SQLite, PostgreSQL, …).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { makeUser, pullPushSpecs, pushOverHttp, seedV2Account } from '../lib/fixtures.mjs';
import { interleave, median, runLoad } from '../lib/load.mjs';
import { startServer } from '../lib/processes.mjs';
import { fmt, verdict } from '../lib/report.mjs';
import { POSTGRES_URL, adminQuery, reachability, serverVersion } from './postgres.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */

const TITLE = 'PostgreSQL reads against SQLite: v1 pull and v2 sync';
/** The issue's target: each PostgreSQL read at least half as fast as the same read on SQLite. */
const TARGET = 0.5;

/**
 * @param {BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Section[]>}
 */
export async function measurePostgresReads(ctx) {
  const unreachable = await reachability();
  if (unreachable !== null) {
    ctx.progress(`postgres-reads: skipped (${unreachable})`);
    return [
      {
        title: TITLE,
        lines: [`Skipped: PostgreSQL at ${POSTGRES_URL} is unreachable (${unreachable}). Set BENCH_DATABASE_URL.`],
        verdicts: [
          verdict(`PostgreSQL reads ≥ ${String(TARGET)} of SQLite`, null, 'PostgreSQL unreachable, not measured'),
        ],
      },
    ];
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const servers = [];
  try {
    const sqlite = await startServer({ DATABASE_URL: `sqlite:${join(ctx.tmpDir, 'postgres-reads.db')}` });
    servers.push(sqlite);
    const postgres = await startServer({
      DATABASE_URL: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    });
    servers.push(postgres);
    const user = await makeUser(20);
    /** @type {Record<string, { v1: import('../lib/load.mjs').LoadSpec, v2: import('../lib/load.mjs').LoadSpec }>} */
    const specs = {};
    for (const [name, server] of [
      ['sqlite', sqlite],
      ['postgres', postgres],
    ]) {
      await pushOverHttp(server.origin, user.credentials.id, user.body);
      specs[name] = { v1: pullPushSpecs(user).pull, v2: await seedV2Account(server.origin, 20) };
    }
    const load = { connections: ctx.connections, seconds: ctx.seconds };
    const run = (/** @type {typeof sqlite} */ server, /** @type {'v1' | 'v2'} */ read, /** @type {string} */ name) =>
      runLoad([server.origin], specs[name]?.[read] ?? { path: '/' }, { ...load, cpuPid: server.pid });
    for (const read of /** @type {const} */ (['v1', 'v2'])) {
      await run(sqlite, read, 'sqlite');
      await run(postgres, read, 'postgres');
    }
    ctx.progress(`postgres-reads (schema ${schema}): v1 pull and v2 sync, SQLite and PostgreSQL, interleaved`);
    const result = await interleave(
      {
        'v1 pull, SQLite': () => run(sqlite, 'v1', 'sqlite'),
        'v1 pull, PostgreSQL': () => run(postgres, 'v1', 'postgres'),
        'v2 sync, SQLite': () => run(sqlite, 'v2', 'sqlite'),
        'v2 sync, PostgreSQL': () => run(postgres, 'v2', 'postgres'),
      },
      ctx.rounds,
      ctx.progress,
    );
    /** @param {'v1 pull' | 'v2 sync'} read */
    const ratios = (read) =>
      result[`${read}, PostgreSQL`].runs.map(
        (run, index) => run.rps / (result[`${read}, SQLite`].runs[index]?.rps ?? NaN),
      );
    const v1 = ratios('v1 pull');
    const v2 = ratios('v2 sync');
    const cpu = (/** @type {{ user: number, system: number } | undefined} */ figures) =>
      figures === undefined ? '—' : `${fmt(figures.user + figures.system, 1)} µs`;
    const rows = Object.entries(result).map(
      ([name, figures]) =>
        `| ${name} | ${fmt(figures.rps, 0)} | ${fmt(figures.p50, 2)} | ${fmt(figures.p99, 2)} | ${String(figures.errors)} | ${cpu(figures.cpu)} |`,
    );
    const line = (/** @type {string} */ read, /** @type {number[]} */ list) =>
      `${read}: **${fmt(median(list), 2)} of SQLite** (per round: ${list.map((ratio) => fmt(ratio, 2)).join(', ')})`;
    return [
      {
        title: TITLE,
        lines: [
          `PostgreSQL ${await serverVersion()} on this machine (a fresh schema, the default pool) against a SQLite file, one open2fa-server process each, the same user (20 v1 entries, 20 v2 envelopes) in both; ${String(ctx.connections)} connections, ${String(ctx.rounds)} × ${String(ctx.seconds)} s per case, interleaved, medians. PostgreSQL runs on the same 2 cores as the server and the load generator, so its own CPU is part of each PostgreSQL answer (the CPU column is the server process's only).`,
          '',
          '| case | req/s | p50 ms | p99 ms | errors | server CPU per answer |',
          '| --- | ---: | ---: | ---: | ---: | ---: |',
          ...rows,
          '',
          `${line('v1 pull', v1)}; ${line('v2 sync', v2)}.`,
        ],
        verdicts: [
          verdict(
            `PostgreSQL v1 pull ≥ ${String(TARGET)} of SQLite`,
            median(v1) >= TARGET,
            `ratio ${fmt(median(v1), 2)}`,
          ),
          verdict(
            `PostgreSQL v2 sync ≥ ${String(TARGET)} of SQLite`,
            median(v2) >= TARGET,
            `ratio ${fmt(median(v2), 2)}`,
          ),
        ],
      },
    ];
  } finally {
    for (const server of servers) await server.stop();
    await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  }
}
