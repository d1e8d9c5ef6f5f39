// CPU profile of the server under the pull (or push) load: node --cpu-prof, then the top frames.
// Usage: npm run build && node bench/profile.mjs [pull|push|v2] [seconds]   (v2: GET /api/v2/items?since=0)
// The .cpuprofile lands in bench/tmp/prof/ (open it in Chrome DevTools or speedscope for a flame graph).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatSummary, summarise } from './cpuprofile-top.mjs';
import { makeUser, pullPushSpecs, pushOverHttp, seedV2Account } from './lib/fixtures.mjs';
import { runLoad } from './lib/load.mjs';
import { BENCH_LOG_LEVEL, ROOT, startServer } from './lib/processes.mjs';

const kind = ['push', 'v2'].includes(process.argv[2] ?? '') ? (process.argv[2] ?? 'pull') : 'pull';
const seconds = Number(process.argv[3] ?? 10);
const profileDir = join(ROOT, 'bench', 'tmp', 'prof');
const dataDir = join(ROOT, 'bench', 'tmp', `profile-${String(process.pid)}`);
mkdirSync(profileDir, { recursive: true });
mkdirSync(dataDir, { recursive: true });

const server = await startServer(
  // PROFILE_DATABASE_URL: profile on another database (a PostgreSQL schema, say) instead of a SQLite file.
  { DATABASE_URL: process.env.PROFILE_DATABASE_URL ?? `sqlite:${join(dataDir, 'profile.db')}` },
  { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] },
);
const before = new Set(readdirSync(profileDir));
try {
  const spec = kind === 'v2' ? await seedV2Account(server.origin, 20) : await v1Spec(server.origin, kind);
  process.stdout.write(`profiling ${kind} for ${String(seconds)} s (LOG_LEVEL=${BENCH_LOG_LEVEL}, 10 connections)\n`);
  const result = await runLoad([server.origin], spec, { connections: 10, seconds });
  process.stdout.write(
    `${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms (slower than unprofiled)\n\n`,
  );
} finally {
  await server.stop('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * @param {string} origin
 * @param {string} which pull or push
 */
async function v1Spec(origin, which) {
  const user = await makeUser(20);
  await pushOverHttp(origin, user.credentials.id, user.body);
  return pullPushSpecs(user)[which === 'push' ? 'push' : 'pull'];
}

const written = readdirSync(profileDir)
  .filter((name) => name.endsWith('.cpuprofile') && !before.has(name))
  .map((name) => join(profileDir, name))
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
const file = written[0];
if (file === undefined) throw new Error(`no .cpuprofile written in ${profileDir}`);
process.stdout.write(`${file}\n\n`);
process.stdout.write(formatSummary(summarise(JSON.parse(readFileSync(file, 'utf8')), 25)));
