// Before/after: the server built from an older checkout (BEFORE_DIR, e.g. a `git worktree` of the
// commit before an optimisation, built with `npx tsc -p tsconfig.build.json`) against the current
// build, same data, same run, interleaved. Prints the medians and the ratio. Modes:
//   pull   10 connections pulling (the default)
//   push   4 connections pushing
//   mixed  the pull load while 3 other connections push to the same server: what writes cost the reads
//   v2     10 connections syncing (GET /api/v2/items?since=0, 20 envelopes)
// With `postgres` after the mode, each server gets a fresh schema on BENCH_DATABASE_URL instead of a
// SQLite file.
// Usage: npm run build && BEFORE_DIR=/tmp/old node bench/before-after.mjs [rounds] [pull|push|mixed|v2] [postgres]
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { adminQuery, POSTGRES_URL } from './figures/postgres.mjs';
import { makeUser, pullPushSpecs, pushOverHttp, seedV2Account } from './lib/fixtures.mjs';
import { interleave, runLoad } from './lib/load.mjs';
import { ROOT } from './lib/processes.mjs';

const beforeDir = process.env.BEFORE_DIR;
if (beforeDir === undefined) {
  process.stderr.write('usage: BEFORE_DIR=/path/to/older/checkout node bench/before-after.mjs [rounds]\n');
  process.exit(2);
}
const rounds = Number(process.argv[2] ?? 3);
const mode = process.argv[3] ?? 'pull';
const onPostgres = process.argv[4] === 'postgres';
if (!['pull', 'push', 'mixed', 'v2'].includes(mode)) {
  process.stderr.write(`unknown mode ${mode}: pull, push, mixed or v2\n`);
  process.exit(2);
}
const dataDir = join(ROOT, 'bench', 'tmp', `before-after-${String(process.pid)}`);
mkdirSync(dataDir, { recursive: true });

/** @type {string[]} */
const schemas = [];

/**
 * @param {string} root a checkout with a built dist/
 * @param {string} file the SQLite file, unless on PostgreSQL
 */
async function start(root, file) {
  let databaseUrl = `sqlite:${file}`;
  if (onPostgres) {
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE SCHEMA ${schema}`);
    schemas.push(schema);
    databaseUrl = `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  }
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [join(root, 'bin', 'open2fa-server')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '0',
      DATABASE_URL: databaseUrl,
    },
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${String(port)}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await fetch(`${origin}/api/v1/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { origin, pid: child.pid ?? -1, stop: () => child.kill('SIGTERM') };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the server in ${root} did not start`);
}

/** @param {{ user: number, system: number } | undefined} figures */
const cpu = (figures) => (figures === undefined ? '?' : `${(figures.user + figures.system).toFixed(1)} µs`);

const before = await start(beforeDir, join(dataDir, 'before.db'));
const after = await start(ROOT, join(dataDir, 'after.db'));
try {
  const user = await makeUser(20);
  for (const server of [before, after]) await pushOverHttp(server.origin, user.credentials.id, user.body);
  const specs = pullPushSpecs(user);
  /** @type {Record<string, import('./lib/load.mjs').LoadSpec>} */
  const v2Specs = {};
  for (const [name, server] of Object.entries({ before, after })) {
    if (mode === 'v2') v2Specs[name] = await seedV2Account(server.origin, 20);
  }
  const load = { connections: 10, seconds: 5 };
  const pushLoad = { connections: mode === 'push' ? 4 : 3, seconds: 5 };
  /** @type {Record<string, number[]>} */
  const pushRates = { before: [], after: [] };
  /** The measured load on one server; in mixed mode the pulls are measured, the pushes only run beside. */
  const measure = async (/** @type {string} */ origin, /** @type {'before' | 'after'} */ name) => {
    const measured = { ...load, cpuPid: (name === 'before' ? before : after).pid };
    if (mode === 'pull') return runLoad([origin], specs.pull, measured);
    if (mode === 'v2') return runLoad([origin], v2Specs[name] ?? specs.pull, measured);
    if (mode === 'push') return runLoad([origin], specs.push, { ...pushLoad, cpuPid: measured.cpuPid });
    const [pulls, pushes] = await Promise.all([
      runLoad([origin], specs.pull, measured),
      runLoad([origin], specs.push, pushLoad),
    ]);
    pushRates[name].push(pushes.rps);
    return pulls;
  };
  for (const [name, server] of Object.entries({ before, after })) {
    await runLoad([server.origin], (mode === 'v2' ? v2Specs[name] : undefined) ?? specs.pull, { ...load, seconds: 2 });
  }
  const progress = (/** @type {string} */ line) => process.stdout.write(`${line}\n`);
  progress(`${mode}: ${beforeDir} (before) vs this checkout (after), ${String(rounds)} rounds × 5 s`);
  const result = await interleave(
    { before: () => measure(before.origin, 'before'), after: () => measure(after.origin, 'after') },
    rounds,
    progress,
  );
  if (mode === 'mixed') {
    const median = (/** @type {number[]} */ list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
    progress(
      `pushes beside the pulls (median): before ${median(pushRates.before).toFixed(0)} req/s, ` +
        `after ${median(pushRates.after).toFixed(0)} req/s`,
    );
  }
  progress(
    `median: before ${result.before.rps.toFixed(0)} req/s (p99 ${result.before.p99.toFixed(2)} ms), ` +
      `after ${result.after.rps.toFixed(0)} req/s (p99 ${result.after.p99.toFixed(2)} ms): ` +
      `× ${(result.after.rps / result.before.rps).toFixed(2)}; server CPU per answer before ${cpu(result.before.cpu)}, ` +
      `after ${cpu(result.after.cpu)}`,
  );
} finally {
  before.stop();
  after.stop();
  rmSync(dataDir, { recursive: true, force: true });
  for (const schema of schemas) await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
}
