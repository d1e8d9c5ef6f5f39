// `npm run bench`: measures every figure of issue 10 and writes bench/results.md with SVG charts.
// BENCH_QUICK=1: smaller databases and shorter runs, written to bench/tmp/quick/ (a smoke run).
// BENCH_ONLY=pull-push,scale,…: a subset (for working on one figure). See docs/benchmarks.md.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { measureBeforeAfter } from './figures/before-after.mjs';
import { measureCli } from './figures/cli.mjs';
import { measureHeadroom } from './figures/headroom.mjs';
import { measureHttpVsBare } from './figures/http-vs-bare.mjs';
import { measureIdleMemory } from './figures/idle-memory.mjs';
import { measurePostgres } from './figures/postgres.mjs';
import { measurePushConcurrent } from './figures/push-concurrent.mjs';
import { measurePostgresReads } from './figures/postgres-reads.mjs';
import { measureScale } from './figures/scale.mjs';
import { measureV2Sync } from './figures/v2-sync.mjs';
import { measureWebUi } from './figures/web-ui.mjs';
import { ROOT } from './lib/processes.mjs';
import { renderResults } from './lib/report.mjs';
import { lineChart } from './lib/svg-chart.mjs';

/** @typedef {import('./lib/report.mjs').BenchContext} BenchContext */
/** @typedef {import('./lib/report.mjs').Section} Section */

/** Every figure, in report order; a new one (v2 sync, say) is one function here. */
const FIGURES = [
  { name: 'pull-push', measure: measureHttpVsBare },
  { name: 'push-concurrent', measure: measurePushConcurrent },
  { name: 'headroom', measure: measureHeadroom },
  { name: 'idle-memory', measure: measureIdleMemory },
  { name: 'v2-sync', measure: measureV2Sync },
  { name: 'scale', measure: measureScale },
  { name: 'postgres', measure: measurePostgres },
  { name: 'postgres-reads', measure: measurePostgresReads },
  { name: 'before-after', measure: measureBeforeAfter },
  { name: 'cli', measure: measureCli },
  { name: 'web', measure: measureWebUi },
];

const quick = process.env.BENCH_QUICK === '1';
const only = (process.env.BENCH_ONLY ?? '').split(',').filter((name) => name !== '');
const cacheDir = join(ROOT, 'bench', 'tmp');
const outDir = quick ? join(cacheDir, 'quick') : join(ROOT, 'bench');
const started = new Date();
const tmpDir = join(cacheDir, `run-${String(process.pid)}`);
mkdirSync(tmpDir, { recursive: true });
mkdirSync(outDir, { recursive: true });

/** @type {BenchContext} */
const ctx = {
  quick,
  seconds: Number(process.env.BENCH_SECONDS ?? (quick ? 2 : 5)),
  warmupSeconds: quick ? 1 : 2,
  rounds: quick ? 2 : 3,
  connections: 10,
  tmpDir,
  cacheDir,
  progress: (line) => {
    const elapsed = Math.round((Date.now() - started.getTime()) / 1000);
    process.stdout.write(
      `[${String(Math.floor(elapsed / 60)).padStart(2, '0')}:${String(elapsed % 60).padStart(2, '0')}] ${line}\n`,
    );
  },
};

ctx.progress(
  `open2fa bench${quick ? ' (BENCH_QUICK=1)' : ''}: ${String(ctx.rounds)} rounds × ${String(ctx.seconds)} s per target`,
);
/** @type {Section[]} */
const sections = [];
try {
  for (const figure of FIGURES) {
    if (only.length > 0 && !only.includes(figure.name)) continue;
    try {
      sections.push(...(await figure.measure(ctx)));
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      ctx.progress(`${figure.name}: FAILED: ${message}`);
      sections.push({
        title: `${figure.name}: failed`,
        lines: ['```', message.slice(0, 2000), '```'],
        verdicts: [{ target: figure.name, pass: false, detail: 'the measurement failed (see its section)' }],
      });
    }
  }
} finally {
  rmSync(tmpDir, { recursive: true, force: true });
}

const charts = writeCharts(sections);
const resultsFile = join(outDir, 'results.md');
writeFileSync(
  resultsFile,
  renderResults({
    command: quick ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench',
    started,
    seconds: (Date.now() - started.getTime()) / 1000,
    quick,
    sections,
    charts,
  }),
);
ctx.progress(`wrote ${relative(ROOT, resultsFile)}`);
for (const section of sections) {
  for (const item of section.verdicts) {
    const mark = item.pass === null ? 'NOT MEASURED' : item.pass ? 'PASS' : 'FAIL';
    process.stdout.write(`  ${mark} ${item.target}: ${item.detail}\n`);
  }
}

/**
 * @param {Section[]} all
 * @returns {{ file: string, alt: string }[]}
 */
function writeCharts(all) {
  const charts = [];
  const scale = /** @type {{ categories: string[], p50: (number | null)[], p99: (number | null)[] } | undefined} */ (
    all.find((section) => section.title.startsWith('Scale'))?.data
  );
  if (scale !== undefined) {
    writeFileSync(
      join(outDir, 'scale-latency.svg'),
      lineChart({
        title: 'Pull latency against database size (SQLite)',
        xTitle: 'database size (5 entries per user)',
        yTitle: 'latency (ms)',
        categories: scale.categories,
        series: [
          { name: 'p50', values: scale.p50 },
          { name: 'p99', values: scale.p99 },
        ],
      }),
    );
    charts.push({ file: 'scale-latency.svg', alt: 'p50 and p99 of the pull against database size' });
  }
  const postgres = /** @type {{ pull: number[], push: number[] } | undefined} */ (
    all.find((section) => section.title.startsWith('PostgreSQL'))?.data
  );
  if (postgres !== undefined) {
    writeFileSync(
      join(outDir, 'instances-throughput.svg'),
      lineChart({
        title: 'Throughput against server instances (PostgreSQL)',
        xTitle: 'open2fa-server processes on one database',
        yTitle: 'requests per second',
        categories: ['1 instance', '2 instances'],
        series: [
          { name: 'pull (GET, 20 entries)', values: postgres.pull },
          { name: 'push (POST, 20 entries)', values: postgres.push },
        ],
        format: (value) => value.toFixed(0),
      }),
    );
    charts.push({
      file: 'instances-throughput.svg',
      alt: 'req/s of pull and push against the number of server instances',
    });
  }
  return charts;
}
