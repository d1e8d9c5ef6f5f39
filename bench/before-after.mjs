// Before/after of the pull path: the server built from an older checkout (BEFORE_DIR, e.g. a
// `git worktree` of the commit before an optimisation, built with `npx tsc -p tsconfig.build.json`)
// against the current build, same data, same run, interleaved. Prints the medians and the ratio.
// Usage: npm run build && BEFORE_DIR=/tmp/old node bench/before-after.mjs [rounds]
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
  const spec = pullPushSpecs(user).pull;
  const load = { connections: 10, seconds: 5 };
  for (const server of [before, after]) await runLoad([server.origin], spec, { ...load, seconds: 2 });
  const progress = (/** @type {string} */ line) => process.stdout.write(`${line}\n`);
  progress(`pull: ${beforeDir} (before) vs this checkout (after), ${String(rounds)} rounds × 5 s`);
  const result = await interleave(
    { before: () => runLoad([before.origin], spec, load), after: () => runLoad([after.origin], spec, load) },
    rounds,
    progress,
  );
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
