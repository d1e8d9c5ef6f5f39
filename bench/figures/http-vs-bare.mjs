// Figures 1, 2 and 6: pull and push of 20 entries against a bare node:http server replaying the very
// same bytes, and the server's memory under the pull load. SQLite file database.
import { join } from 'node:path';
import { makeUser, pullPushSpecs, pushOverHttp } from '../lib/fixtures.mjs';
import { capture, interleave, median, runLoad } from '../lib/load.mjs';
import { BENCH_LOG_LEVEL, rssBytes, startBareServer, startServer } from '../lib/processes.mjs';
import { fmt, mib, verdict } from '../lib/report.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */
/** @typedef {import('../lib/report.mjs').Section} Section */

/**
 * @param {BenchContext} ctx
 * @returns {Promise<Section[]>}
 */
export async function measureHttpVsBare(ctx) {
  const server = await startServer({ DATABASE_URL: `sqlite:${join(ctx.tmpDir, 'pull-push.db')}` });
  try {
    const user = await makeUser(20);
    await pushOverHttp(server.origin, user.credentials.id, user.body);
    const { pull, push } = pullPushSpecs(user);
    const idleRss = rssBytes(server.pid);

    ctx.progress('pull: GET /api/v1/totps (20 entries) vs bare node:http');
    const pullFigures = await compare(ctx, server, pull, true);
    ctx.progress('push: POST /api/v1/totps (the same 20 entries: upsert) vs bare node:http');
    const pushFigures = await compare(ctx, server, push, false);
    const afterRss = rssBytes(server.pid);

    return [
      throughputSection(
        'Pull: GET /api/v1/totps, 20 entries',
        pullFigures,
        [
          verdict(
            'pull ratio ≥ 0.6 (aim ≥ 0.8)',
            pullFigures.ratio >= 0.6,
            `ratio ${fmt(pullFigures.ratio, 2)}${pullFigures.ratio >= 0.8 ? ', aim of 0.8 reached' : ', below the 0.8 aim'}`,
          ),
        ],
        ctx,
      ),
      throughputSection('Push: POST /api/v1/totps, the same 20 entries (upsert)', pushFigures, [], ctx),
      memorySection(pullFigures.rssSamples, idleRss, afterRss),
    ];
  } finally {
    await server.stop();
  }
}

/**
 * @param {BenchContext} ctx
 * @param {import('../lib/processes.mjs').Child} server
 * @param {import('../lib/load.mjs').LoadSpec} spec
 * @param {boolean} sampleMemory
 */
export async function compare(ctx, server, spec, sampleMemory) {
  const answer = await capture(server.origin, spec);
  if (answer.status !== 200)
    throw new Error(`the subject answered ${String(answer.status)}: ${answer.body.toString()}`);
  const bare = await startBareServer({
    status: answer.status,
    headers: answer.headers,
    body: answer.body.toString('base64'),
  });
  try {
    const replayed = await capture(bare.origin, spec);
    if (!replayed.body.equals(answer.body)) throw new Error('the bare server does not answer the same body');
    const load = { connections: ctx.connections, seconds: ctx.seconds };
    await runLoad([bare.origin], spec, { ...load, seconds: ctx.warmupSeconds });
    await runLoad([server.origin], spec, { ...load, seconds: ctx.warmupSeconds });
    const result = await interleave(
      {
        bare: () => runLoad([bare.origin], spec, { ...load, cpuPid: bare.pid }),
        open2fa: () =>
          runLoad([server.origin], spec, {
            ...load,
            cpuPid: server.pid,
            ...(sampleMemory ? { samplePid: server.pid } : {}),
          }),
      },
      ctx.rounds,
      ctx.progress,
    );
    const ratios = result.open2fa.runs.map((run, index) => run.rps / (result.bare.runs[index]?.rps ?? Number.NaN));
    return {
      bare: result.bare,
      subject: result.open2fa,
      ratio: median(ratios),
      ratios,
      responseBytes: answer.body.length,
      headerCount: answer.headers.length,
      rssSamples: result.open2fa.rssSamples,
    };
  } finally {
    await bare.stop();
  }
}

/**
 * @param {string} title
 * @param {Awaited<ReturnType<typeof compare>>} figures
 * @param {import('../lib/report.mjs').Verdict[]} verdicts
 * @param {BenchContext} ctx
 * @returns {Section}
 */
export function throughputSection(title, figures, verdicts, ctx) {
  return {
    title,
    lines: [
      `Response: ${String(figures.responseBytes)} body bytes, ${String(figures.headerCount)} headers (replayed verbatim by the baseline). ` +
        `${String(ctx.connections)} connections, ${String(ctx.rounds)} × ${String(ctx.seconds)} s per target, interleaved, medians; server LOG_LEVEL=${BENCH_LOG_LEVEL}, RATE_LIMIT_MAX=0.`,
      '',
      '| target | req/s | p50 ms | p99 ms | errors | server CPU per answer (user + system) |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      `| bare node:http | ${fmt(figures.bare.rps, 0)} | ${fmt(figures.bare.p50, 2)} | ${fmt(figures.bare.p99, 2)} | ${String(figures.bare.errors)} | ${cpuCell(figures.bare.cpu)} |`,
      `| open2fa-server | ${fmt(figures.subject.rps, 0)} | ${fmt(figures.subject.p50, 2)} | ${fmt(figures.subject.p99, 2)} | ${String(figures.subject.errors)} | ${cpuCell(figures.subject.cpu)} |`,
      '',
      `**Ratio open2fa / bare: ${fmt(figures.ratio, 2)}** (per round: ${figures.ratios.map((ratio) => fmt(ratio, 2)).join(', ')}); ` +
        `p99 ${fmt(figures.subject.p99 / figures.bare.p99, 1)} × the baseline's.`,
    ],
    verdicts,
  };
}

/** @param {{ user: number, system: number } | undefined} cpu µs per answer */
export function cpuCell(cpu) {
  if (cpu === undefined) return 'n/a';
  return `${fmt(cpu.user + cpu.system, 1)} µs (${fmt(cpu.user, 1)} + ${fmt(cpu.system, 1)})`;
}

/**
 * @param {number[]} samples
 * @param {number | null} idle
 * @param {number | null} after
 * @returns {Section}
 */
function memorySection(samples, idle, after) {
  if (samples.length === 0)
    return { title: 'Memory under the pull load', lines: ['No RSS samples (no /proc?).'], verdicts: [] };
  const peak = Math.max(...samples);
  // Steady state: the median of the later half of the samples, after the heap has grown to its working size.
  const steady = median(samples.slice(Math.floor(samples.length / 2)));
  return {
    title: 'Memory under the pull load',
    lines: [
      `Server RSS (VmRSS from /proc, sampled every 100 ms during the open2fa pull runs, ${String(samples.length)} samples):`,
      '',
      '| idle before load | steady under load | peak under load | after push runs |',
      '| ---: | ---: | ---: | ---: |',
      `| ${mib(idle)} | ${mib(steady)} | ${mib(peak)} | ${mib(after)} |`,
    ],
    verdicts: [],
    data: { peak, steady },
  };
}
