// Figure 7: the headroom a throughput ratio leaves on this machine. The bare node:http baseline replays
// the pull answer with 0, 10, 20 and 30 µs of CPU spun per request (BARE_WORK_US), interleaved: how far
// does req/s fall per microsecond of work, and how many microseconds does a ratio of 0.6 allow? It reads
// the pull figure in the machine's own units (wake-ups and system time here grow as a server slows).
import { join } from 'node:path';
import { makeUser, pullPushSpecs, pushOverHttp } from '../lib/fixtures.mjs';
import { capture, interleave, runLoad } from '../lib/load.mjs';
import { startBareServer, startServer } from '../lib/processes.mjs';
import { fmt } from '../lib/report.mjs';
import { cpuCell } from './http-vs-bare.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */

const WORK_US = [0, 10, 20, 30];
const TARGET_RATIO = 0.6;

/**
 * @param {BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Section[]>}
 */
export async function measureHeadroom(ctx) {
  const server = await startServer({ DATABASE_URL: `sqlite:${join(ctx.tmpDir, 'headroom.db')}` });
  /** @type {Awaited<ReturnType<typeof capture>>} */
  let answer;
  let spec;
  try {
    const user = await makeUser(20);
    await pushOverHttp(server.origin, user.credentials.id, user.body);
    spec = pullPushSpecs(user).pull;
    answer = await capture(server.origin, spec);
  } finally {
    await server.stop();
  }
  const replay = { status: answer.status, headers: answer.headers, body: answer.body.toString('base64') };
  const bares = await Promise.all(
    WORK_US.map((work) => startBareServer(replay, undefined, { BARE_WORK_US: String(work) })),
  );
  try {
    const load = { connections: ctx.connections, seconds: ctx.seconds };
    for (const bare of bares) await runLoad([bare.origin], spec, { ...load, seconds: ctx.warmupSeconds });
    ctx.progress('headroom: bare node:http with 0 / 10 / 20 / 30 µs of CPU spun per request');
    /** @type {Record<string, () => Promise<import('../lib/load.mjs').RunResult>>} */
    const targets = {};
    for (const [index, bare] of bares.entries()) {
      targets[`+${String(WORK_US[index])} µs`] = () => runLoad([bare.origin], spec, { ...load, cpuPid: bare.pid });
    }
    const result = await interleave(targets, ctx.rounds, ctx.progress);
    const rows = WORK_US.map((work) => ({ work, figures: result[`+${String(work)} µs`] }));
    const base = rows[0]?.figures.rps ?? Number.NaN;
    const points = rows.map((row) => ({ work: row.work, ratio: row.figures.rps / base }));
    const allowance = workAtRatio(points, TARGET_RATIO);
    return [
      {
        title: 'Headroom: what a ratio leaves per request on this machine',
        lines: [
          'The bare baseline of the pull figure, replaying the same bytes, with a fixed amount of CPU spun per request',
          '(a stand-in for real work), interleaved. The ratio is each line against the first.',
          '',
          '| extra work per request | req/s | ratio | p99 ms | server CPU per answer (user + system) |',
          '| ---: | ---: | ---: | ---: | ---: |',
          ...rows.map(
            (row) =>
              `| ${String(row.work)} µs | ${fmt(row.figures.rps, 0)} | ${fmt(row.figures.rps / base, 2)} | ${fmt(row.figures.p99, 2)} | ${cpuCell(row.figures.cpu)} |`,
          ),
          '',
          allowance === null
            ? `A ratio of ${String(TARGET_RATIO)} was not crossed between 0 and ${String(WORK_US.at(-1))} µs.`
            : `**A ratio of ${String(TARGET_RATIO)} leaves about ${fmt(allowance, 0)} µs of work per request beyond node:http** ` +
              '(linear between the measured points): validation, routing, hashing the ID, the database read, headers, ' +
              'metrics and logging all have to fit in it.',
        ],
        verdicts: [],
        data: { points, allowance },
      },
    ];
  } finally {
    await Promise.all(bares.map((bare) => bare.stop()));
  }
}

/**
 * Where the ratio curve crosses `ratio`, linear between neighbouring points; null when it does not.
 * @param {{ work: number, ratio: number }[]} points by increasing work
 * @param {number} ratio
 */
function workAtRatio(points, ratio) {
  for (let index = 1; index < points.length; index++) {
    const left = points[index - 1];
    const right = points[index];
    if (left === undefined || right === undefined) continue;
    if (left.ratio >= ratio && right.ratio < ratio) {
      return left.work + ((left.ratio - ratio) / (left.ratio - right.ratio)) * (right.work - left.work);
    }
  }
  return null;
}
