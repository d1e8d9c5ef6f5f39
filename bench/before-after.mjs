// Before/after: the server built from an older checkout (BEFORE_DIR, e.g. a `git worktree` of the
// commit before an optimisation, built with `npx tsc -p tsconfig.build.json`) against the current
// build, same data, same run, interleaved. Prints the medians and the ratio. Modes:
//   pull   10 connections pulling (the default)
//   push   4 connections pushing
//   mixed  the pull load while 3 other connections push to the same server: what writes cost the reads
// Usage: npm run build && BEFORE_DIR=/tmp/old node bench/before-after.mjs [rounds] [pull|push|mixed]
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeUser, pullPushSpecs, pushOverHttp } from './lib/fixtures.mjs';
import { interleave, runLoad } from './lib/load.mjs';
import { ROOT } from './lib/processes.mjs';

const beforeDir = process.env.BEFORE_DIR;
if (beforeDir === undefined) {
  process.stderr.write('usage: BEFORE_DIR=/path/to/older/checkout node bench/before-after.mjs [rounds]\n');
  process.exit(2);
}
const rounds = Number(process.argv[2] ?? 3);
const mode = process.argv[3] ?? 'pull';
if (!['pull', 'push', 'mixed'].includes(mode)) {
  process.stderr.write(`unknown mode ${mode}: pull, push or mixed\n`);
  process.exit(2);
}
const dataDir = join(ROOT, 'bench', 'tmp', `before-after-${String(process.pid)}`);
mkdirSync(dataDir, { recursive: true });

/**
 * @param {string} root a checkout with a built dist/
 * @param {string} database
 */
async function start(root, database) {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [join(root, 'bin', 'open2fa-server')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '0',
      DATABASE_URL: `sqlite:${database}`,
    },
    stdio: 'ignore',
  });
  const origin = `http://127.0.0.1:${String(port)}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    const ready = await fetch(`${origin}/api/v1/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { origin, stop: () => child.kill('SIGTERM') };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the server in ${root} did not start`);
}

const before = await start(beforeDir, join(dataDir, 'before.db'));
const after = await start(ROOT, join(dataDir, 'after.db'));
try {
  const user = await makeUser(20);
  for (const server of [before, after]) await pushOverHttp(server.origin, user.credentials.id, user.body);
  const specs = pullPushSpecs(user);
  const load = { connections: 10, seconds: 5 };
  const pushLoad = { connections: mode === 'push' ? 4 : 3, seconds: 5 };
  /** @type {Record<string, number[]>} */
  const pushRates = { before: [], after: [] };
  /** The measured load on one server; in mixed mode the pulls are measured, the pushes only run beside. */
  const measure = async (/** @type {string} */ origin, /** @type {'before' | 'after'} */ name) => {
    if (mode === 'pull') return runLoad([origin], specs.pull, load);
    if (mode === 'push') return runLoad([origin], specs.push, pushLoad);
    const [pulls, pushes] = await Promise.all([
      runLoad([origin], specs.pull, load),
      runLoad([origin], specs.push, pushLoad),
    ]);
    pushRates[name].push(pushes.rps);
    return pulls;
  };
  for (const server of [before, after]) await runLoad([server.origin], specs.pull, { ...load, seconds: 2 });
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
      `× ${(result.after.rps / result.before.rps).toFixed(2)}`,
  );
} finally {
  before.stop();
  after.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
