// Figure: before/after of the read paths (issue 20), when BENCH_BEFORE_DIR names a built checkout of
// the tree before the change (e.g. `git archive main | tar -x -C DIR`, node_modules linked, `npm run
// build` there): the v2 sync on SQLite and the v1 pull and v2 sync on PostgreSQL, each before and after,
// the same data, interleaved. Without BENCH_BEFORE_DIR the section says how to run it.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { makeUser, pullPushSpecs, pushOverHttp, seedV2Account } from '../lib/fixtures.mjs';
import { interleave, runLoad } from '../lib/load.mjs';
import { startServer } from '../lib/processes.mjs';
import { fmt, verdict } from '../lib/report.mjs';
import { POSTGRES_URL, adminQuery, reachability } from './postgres.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */
/** @typedef {import('../lib/processes.mjs').Child} Child */
/** @typedef {import('../lib/load.mjs').LoadSpec} LoadSpec */

const TITLE = 'Before/after: the v2 sync and the PostgreSQL reads';

/**
 * @param {BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Section[]>}
 */
export async function measureBeforeAfter(ctx) {
  const beforeDir = process.env.BENCH_BEFORE_DIR;
  if (beforeDir === undefined || beforeDir === '') {
    return [
      {
        title: TITLE,
        lines: [
          'Not measured: set BENCH_BEFORE_DIR to a built checkout of the tree before the change (docs/benchmarks.md).',
        ],
        verdicts: [verdict('before/after of the read paths', null, 'BENCH_BEFORE_DIR not set')],
      },
    ];
  }
  const onPostgres = (await reachability()) === null;
  /** @type {string[]} */
  const schemas = [];
  /** @type {Child[]} */
  const servers = [];
  /** @param {string | undefined} root @param {'sqlite' | 'postgres'} database */
  const start = async (root, database) => {
    let url = `sqlite:${join(ctx.tmpDir, `before-after-${String(servers.length)}.db`)}`;
    if (database === 'postgres') {
      const schema = `bench_${randomBytes(6).toString('hex')}`;
      await adminQuery(`CREATE SCHEMA ${schema}`);
      schemas.push(schema);
      url = `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    }
    const server = await startServer({ DATABASE_URL: url }, root === undefined ? {} : { root });
    servers.push(server);
    return server;
  };
  try {
    const user = await makeUser(20);
    /** @type {Record<string, () => Promise<import('../lib/load.mjs').RunResult>>} */
    const targets = {};
    const load = { connections: ctx.connections, seconds: ctx.seconds };
    const cases = /** @type {const} */ ([
      ['v2 sync, SQLite', 'sqlite', 'v2'],
      ...(onPostgres
        ? /** @type {const} */ ([
            ['v1 pull, PostgreSQL', 'postgres', 'v1'],
            ['v2 sync, PostgreSQL', 'postgres', 'v2'],
          ])
        : []),
    ]);
    for (const [name, database, read] of cases) {
      for (const [side, root] of /** @type {const} */ ([
        ['before', beforeDir],
        ['after', undefined],
      ])) {
        const server = await start(root, database);
        /** @type {LoadSpec} */
        let spec;
        if (read === 'v1') {
          await pushOverHttp(server.origin, user.credentials.id, user.body);
          spec = pullPushSpecs(user).pull;
        } else {
          spec = await seedV2Account(server.origin, 20);
        }
        await runLoad([server.origin], spec, { ...load, seconds: ctx.warmupSeconds });
        targets[`${name}, ${side}`] = () => runLoad([server.origin], spec, { ...load, cpuPid: server.pid });
      }
    }
    ctx.progress(`before-after: ${beforeDir} against this checkout, interleaved`);
    const result = await interleave(targets, ctx.rounds, ctx.progress);
    const cpu = (/** @type {{ user: number, system: number } | undefined} */ figures) =>
      figures === undefined ? '—' : `${fmt(figures.user + figures.system, 1)} µs`;
    const rows = cases.map(([name]) => {
      const before = result[`${name}, before`];
      const after = result[`${name}, after`];
      if (before === undefined || after === undefined) return `| ${name} | — | — | — | — |`;
      return `| ${name} | ${fmt(before.rps, 0)} → ${fmt(after.rps, 0)} | × ${fmt(after.rps / before.rps, 2)} | ${fmt(before.p99, 2)} → ${fmt(after.p99, 2)} | ${cpu(before.cpu)} → ${cpu(after.cpu)} |`;
    });
    return [
      {
        title: TITLE,
        lines: [
          `Before: the server built in \`${beforeDir}\`; after: this checkout. One server process per case and side, ${String(ctx.connections)} connections, ${String(ctx.rounds)} × ${String(ctx.seconds)} s each, interleaved, medians.${onPostgres ? '' : ' PostgreSQL unreachable: its rows were not measured.'}`,
          '',
          '| case | req/s before → after | after / before | p99 ms | server CPU per answer |',
          '| --- | ---: | ---: | ---: | ---: |',
          ...rows,
        ],
        verdicts: [],
      },
    ];
  } finally {
    for (const server of servers) await server.stop();
    for (const schema of schemas) await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  }
}
