// Push, 16 concurrent users (issue 20, group commit): 16 people each pushing their 20 entries (the
// upsert path of POST /api/v1/totps) at once, one connection each, on a SQLite file. With BENCH_BEFORE_DIR (a
// built older checkout, as bench/before-after.mjs takes) the older server runs beside this one, same
// load, interleaved, and the row reports after / before. The same build with one user pushing is
// measured too: without group commit, 16 writers get no more out of the disk than one.
import { join } from 'node:path';
import { makeUser, pullPushSpecs, pushOverHttp } from '../lib/fixtures.mjs';
import { interleave, median, runLoad } from '../lib/load.mjs';
import { BENCH_LOG_LEVEL, startServer } from '../lib/processes.mjs';
import { fmt, verdict } from '../lib/report.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */
/** @typedef {import('../lib/report.mjs').Section} Section */
/** @typedef {import('../lib/load.mjs').RunResult} RunResult */

const USERS = 16;
const ENTRIES = 20;
/** Issue 20's target: with 16 users pushing at once, at least twice the push throughput of before. */
const TARGET = 2;

/**
 * @param {BenchContext} ctx
 * @returns {Promise<Section[]>}
 */
export async function measurePushConcurrent(ctx) {
  const beforeDir = process.env.BENCH_BEFORE_DIR;
  const servers = { after: await startServer({ DATABASE_URL: `sqlite:${join(ctx.tmpDir, 'push-after.db')}` }) };
  try {
    if (beforeDir !== undefined) {
      const before = await startServer(
        { DATABASE_URL: `sqlite:${join(ctx.tmpDir, 'push-before.db')}` },
        { root: beforeDir },
      );
      Object.assign(servers, { before });
    }
    // The same 20 ciphertexts under 16 user hashes: the server cannot tell, and each push is an upsert
    // of a user that already has them, as in the push row of the pull-push figure.
    const user = await makeUser(ENTRIES);
    const hashes = [user.credentials.id];
    for (let index = 1; index < USERS; index++) hashes.push((await makeUser(0)).credentials.id);
    for (const server of Object.values(servers)) {
      for (const hash of hashes) await pushOverHttp(server.origin, hash, user.body);
    }
    const { push } = pullPushSpecs(user);
    let next = 0;
    const sixteen = { ...push, nextUserHash: () => hashes[next++ % USERS] ?? user.credentials.id };
    const load = { connections: USERS, seconds: ctx.seconds };

    ctx.progress(`push, ${String(USERS)} concurrent users: POST /api/v1/totps (${String(ENTRIES)} entries each)`);
    for (const server of Object.values(servers)) {
      await runLoad([server.origin], sixteen, { ...load, seconds: ctx.warmupSeconds });
    }
    /** @type {Record<string, () => Promise<RunResult>>} */
    const targets = {
      'one user': () => runLoad([servers.after.origin], push, { connections: 1, seconds: ctx.seconds }),
    };
    for (const [name, server] of Object.entries(servers)) {
      targets[`${String(USERS)} users, ${name}`] = () =>
        runLoad([server.origin], sixteen, { ...load, cpuPid: server.pid });
    }
    const result = await interleave(targets, ctx.rounds, ctx.progress);
    return [section(result, beforeDir, ctx)];
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
}

/**
 * @param {Record<string, RunResult & { runs: RunResult[] }>} result
 * @param {string | undefined} beforeDir
 * @param {BenchContext} ctx
 * @returns {Section}
 */
function section(result, beforeDir, ctx) {
  const after = result[`${String(USERS)} users, after`];
  const before = result[`${String(USERS)} users, before`];
  const single = result['one user'];
  const ratios =
    after === undefined || before === undefined
      ? []
      : after.runs.map((run, index) => run.rps / (before.runs[index]?.rps ?? Number.NaN));
  const ratio = median(ratios);
  const rows = Object.entries(result).map(
    ([name, run]) =>
      `| ${name} | ${fmt(run.rps, 0)} | ${fmt(run.p50, 2)} | ${fmt(run.p99, 2)} | ${String(run.errors)} | ${
        run.cpu === undefined ? '–' : `${fmt(run.cpu.user + run.cpu.system, 0)} µs`
      } |`,
  );
  return {
    title: `Push, ${String(USERS)} concurrent users: POST /api/v1/totps, ${String(ENTRIES)} entries each (group commit)`,
    lines: [
      `${String(USERS)} users, one connection each, pushing their ${String(ENTRIES)} entries (upsert) flat out; SQLite file, ` +
        `\`synchronous=FULL\`. ${String(ctx.rounds)} × ${String(ctx.seconds)} s per target, interleaved, medians; ` +
        `server LOG_LEVEL=${BENCH_LOG_LEVEL}, RATE_LIMIT_MAX=0. ` +
        (beforeDir === undefined
          ? 'No BENCH_BEFORE_DIR given: the older build was not measured.'
          : `"before" is the build in BENCH_BEFORE_DIR (${beforeDir}).`),
      '',
      '| target | req/s | p50 ms | p99 ms | errors | server CPU per answer |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      beforeDir === undefined
        ? `16 users / one user: ${fmt((after?.rps ?? Number.NaN) / (single?.rps ?? Number.NaN), 2)}.`
        : `**After / before, 16 users: ${fmt(ratio, 2)}** (per round: ${ratios.map((value) => fmt(value, 2)).join(', ')}).`,
    ],
    verdicts: [
      verdict(
        `push, ${String(USERS)} concurrent users ≥ ${String(TARGET)} × before`,
        beforeDir === undefined ? null : ratio >= TARGET,
        beforeDir === undefined
          ? 'set BENCH_BEFORE_DIR to a built older checkout to measure it'
          : `after / before ${fmt(ratio, 2)} (${fmt(after?.rps ?? Number.NaN, 0)} against ${fmt(before?.rps ?? Number.NaN, 0)} req/s)`,
      ),
    ],
  };
}
