// A/B of an optimisation tried as a preload script (bench/experiments/*.mjs), or of a setting, against
// the unmodified server, same run, interleaved.
// Usage: npm run build && node bench/ab.mjs FILE.mjs|NAME=VALUE [pull|push] [rounds]
//   e.g. node bench/ab.mjs RATE_LIMIT_FAILED_LOOKUPS=0 pull
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeUser, pullPushSpecs, pushOverHttp } from './lib/fixtures.mjs';
import { interleave, runLoad } from './lib/load.mjs';
import { ROOT, startServer } from './lib/processes.mjs';

const preload = process.argv[2];
if (preload === undefined) {
  process.stderr.write('usage: node bench/ab.mjs bench/experiments/FILE.mjs|NAME=VALUE [pull|push] [rounds]\n');
  process.exit(2);
}
const kind = process.argv[3] === 'push' ? 'push' : 'pull';
const rounds = Number(process.argv[4] ?? 3);
const dataDir = join(ROOT, 'bench', 'tmp', `ab-${String(process.pid)}`);
mkdirSync(dataDir, { recursive: true });
const progress = (/** @type {string} */ line) => process.stdout.write(`${line}\n`);

const baseline = await startServer({ DATABASE_URL: `sqlite:${join(dataDir, 'a.db')}` });
const setting = /^([A-Z_]+)=(.*)$/.exec(preload);
const candidate = await startServer(
  {
    DATABASE_URL: `sqlite:${join(dataDir, 'b.db')}`,
    ...(setting === null ? {} : { [setting[1] ?? '']: setting[2] ?? '' }),
  },
  setting === null ? { nodeArgs: ['--import', pathToFileURL(resolve(preload)).href] } : {},
);
try {
  const user = await makeUser(20);
  for (const server of [baseline, candidate]) await pushOverHttp(server.origin, user.credentials.id, user.body);
  const spec = pullPushSpecs(user)[kind];
  const load = { connections: 10, seconds: 5 };
  for (const server of [baseline, candidate]) await runLoad([server.origin], spec, { ...load, seconds: 2 });
  progress(
    `${kind}: unmodified vs ${setting === null ? `--import ${preload}` : preload}, ${String(rounds)} rounds × 5 s`,
  );
  const result = await interleave(
    {
      unmodified: () => runLoad([baseline.origin], spec, load),
      candidate: () => runLoad([candidate.origin], spec, load),
    },
    rounds,
    progress,
  );
  progress(
    `median: unmodified ${result.unmodified.rps.toFixed(0)} req/s (p99 ${result.unmodified.p99.toFixed(2)} ms), ` +
      `candidate ${result.candidate.rps.toFixed(0)} req/s (p99 ${result.candidate.p99.toFixed(2)} ms): ` +
      `× ${(result.candidate.rps / result.unmodified.rps).toFixed(2)}`,
  );
} finally {
  await baseline.stop();
  await candidate.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
