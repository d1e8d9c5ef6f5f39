// Figure 7: wall time of `open2fa list` with 100 secrets against `node -e 0` (Node's own start-up),
// runs interleaved, medians. Target: ≤ 150 ms.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base32Secret } from '../lib/fixtures.mjs';
import { median } from '../lib/load.mjs';
import { ROOT } from '../lib/processes.mjs';
import { fmt, verdict } from '../lib/report.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */

const CLI_BIN = join(ROOT, 'bin', 'open2fa');
const TARGET_MS = 150;

/**
 * @param {BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Section[]>}
 */
export function measureCli(ctx) {
  const home = join(ctx.tmpDir, 'cli-home');
  const vault = join(home, '.open2fa');
  mkdirSync(vault, { recursive: true, mode: 0o700 });
  const secrets = Array.from({ length: 100 }, (_, index) => ({
    secret: base32Secret(index),
    name: `n${String(index + 1)}`,
  }));
  writeFileSync(join(vault, 'secrets.json'), JSON.stringify({ secrets }), { mode: 0o600 });
  const env = { PATH: process.env.PATH ?? '', HOME: home, OPEN2FA_DIR: vault, NO_COLOR: '1' };

  const list = () => spawnSync(process.execPath, [CLI_BIN, 'list'], { env, encoding: 'utf8', timeout: 20_000 });
  const probe = list();
  const shown = secrets.filter((secret) => probe.stdout.includes(secret.name)).length;
  if (probe.status !== 0 || shown < 100) {
    const why =
      probe.status !== 0
        ? `exit ${String(probe.status)}: ${(probe.stderr || probe.stdout).trim().slice(0, 300)}`
        : `only ${String(shown)} of 100 names listed`;
    ctx.progress(`cli: not available (${why})`);
    return Promise.resolve([
      {
        title: 'CLI: open2fa list, 100 secrets',
        lines: [`CLI not available: \`node bin/open2fa list\` failed (${why}).`],
        verdicts: [verdict(`CLI: open2fa list ≤ ${String(TARGET_MS)} ms`, null, 'CLI not available')],
      },
    ]);
  }

  const runs = ctx.quick ? 7 : 15;
  ctx.progress(`cli: open2fa list (100 secrets) vs node -e 0, ${String(runs)} runs each, interleaved`);
  /** @type {number[]} */
  const cliTimes = [];
  /** @type {number[]} */
  const nodeTimes = [];
  for (let run = 0; run < runs; run++) {
    nodeTimes.push(wall(() => spawnSync(process.execPath, ['-e', '0'], { env })));
    cliTimes.push(wall(list));
  }
  const cli = median(cliTimes);
  const node = median(nodeTimes);
  return Promise.resolve([
    {
      title: 'CLI: open2fa list, 100 secrets',
      lines: [
        `Median wall time of ${String(runs)} runs each, interleaved, spawned from Node (spawnSync); a temporary OPEN2FA_DIR holds secrets.json with 100 entries.`,
        '',
        '| command | median ms | min ms | max ms |',
        '| --- | ---: | ---: | ---: |',
        `| node -e 0 | ${fmt(node, 1)} | ${fmt(Math.min(...nodeTimes), 1)} | ${fmt(Math.max(...nodeTimes), 1)} |`,
        `| open2fa list | ${fmt(cli, 1)} | ${fmt(Math.min(...cliTimes), 1)} | ${fmt(Math.max(...cliTimes), 1)} |`,
        '',
        `**open2fa list costs ${fmt(cli - node, 1)} ms on top of Node's start-up (${fmt(cli / node, 2)} ×).**`,
      ],
      verdicts: [
        verdict(
          `CLI: open2fa list with 100 secrets ≤ ${String(TARGET_MS)} ms`,
          cli <= TARGET_MS,
          `${fmt(cli, 1)} ms (node -e 0: ${fmt(node, 1)} ms)`,
        ),
      ],
    },
  ]);
}

/** @param {() => unknown} action */
function wall(action) {
  const started = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}
