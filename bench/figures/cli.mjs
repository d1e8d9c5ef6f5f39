// Figure 7: wall time of `open2fa list` with 100 secrets against `node -e 0` (Node's own start-up),
// runs interleaved, medians. Target: ≤ 150 ms. Then `open2fa code NAME`, the command scripts run most,
// from the bundle of the installable package (packages/cli, scripts/build-cli.mjs) and from dist/cli
// (tsc output, bin/open2fa), in the same interleaved runs. Target (issue #20): ≤ 1.5 × node -e 0.
// BENCH_BEFORE_DIR=<a checkout with built dist/ and packages/cli/dist> adds its bundle to the same runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { base32Secret } from '../lib/fixtures.mjs';
import { median } from '../lib/load.mjs';
import { ROOT } from '../lib/processes.mjs';
import { fmt, verdict } from '../lib/report.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */

const CLI_BIN = join(ROOT, 'bin', 'open2fa');
const BUNDLE_BIN = bundleBin(ROOT);
const TARGET_MS = 150;
const CODE_TARGET_RATIO = 1.5;

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

  const code = (/** @type {string} */ bin) => () =>
    spawnSync(process.execPath, [bin, 'code', 'n50'], { env, encoding: 'utf8', timeout: 20_000 });
  const works = (/** @type {string | null} */ bin) => {
    const probe = bin === null ? null : code(bin)();
    return probe !== null && probe.status === 0 && /^\d{6}\n$/.test(probe.stdout);
  };
  const bundleWorks = works(BUNDLE_BIN);
  const beforeDir = process.env.BENCH_BEFORE_DIR;
  const beforeBin = beforeDir === undefined ? null : bundleBin(beforeDir);
  if (beforeDir !== undefined && !works(beforeBin))
    throw new Error(`BENCH_BEFORE_DIR: no working CLI bundle in ${beforeDir}/packages/cli/dist`);
  if (!bundleWorks)
    ctx.progress('cli: the bundle (packages/cli/dist) is missing or failed; run node scripts/build-cli.mjs');

  const runs = ctx.quick ? 7 : 15;
  ctx.progress(`cli: open2fa list (100 secrets) vs node -e 0, ${String(runs)} runs each, interleaved`);
  /** @type {number[]} */
  const cliTimes = [];
  /** @type {number[]} */
  const nodeTimes = [];
  /** @type {number[]} */
  const distCodeTimes = [];
  /** @type {number[]} */
  const bundleCodeTimes = [];
  /** @type {number[]} */
  const beforeCodeTimes = [];
  for (let run = 0; run < runs; run++) {
    nodeTimes.push(wall(() => spawnSync(process.execPath, ['-e', '0'], { env })));
    cliTimes.push(wall(list));
    distCodeTimes.push(wall(code(CLI_BIN)));
    if (bundleWorks && BUNDLE_BIN !== null) bundleCodeTimes.push(wall(code(BUNDLE_BIN)));
    if (beforeBin !== null) beforeCodeTimes.push(wall(code(beforeBin)));
  }
  const cli = median(cliTimes);
  const node = median(nodeTimes);
  const distCode = median(distCodeTimes);
  const bundleCode = bundleWorks ? median(bundleCodeTimes) : NaN;
  const row = (label, times) =>
    `| ${label} | ${fmt(median(times), 1)} | ${fmt(Math.min(...times), 1)} | ${fmt(Math.max(...times), 1)} | ${fmt(median(times) / node, 2)} × |`;
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
        '',
        '`open2fa code n50` (one of the 100), same runs:',
        '',
        '| command | median ms | min ms | max ms | × node -e 0 |',
        '| --- | ---: | ---: | ---: | ---: |',
        row('node -e 0', nodeTimes),
        row('node bin/open2fa code n50 (dist/cli)', distCodeTimes),
        bundleWorks && BUNDLE_BIN !== null
          ? row(
              `node packages/cli/${relative(join(ROOT, 'packages', 'cli'), BUNDLE_BIN)} code n50 (bundle)`,
              bundleCodeTimes,
            )
          : '| bundle | not built | | | |',
        ...(beforeBin === null ? [] : [row(`the same, before (${String(beforeDir)})`, beforeCodeTimes)]),
      ],
      verdicts: [
        verdict(
          `CLI: open2fa list with 100 secrets ≤ ${String(TARGET_MS)} ms`,
          cli <= TARGET_MS,
          `${fmt(cli, 1)} ms (node -e 0: ${fmt(node, 1)} ms)`,
        ),
        verdict(
          `CLI: open2fa code from the bundle ≤ ${String(CODE_TARGET_RATIO)} × node -e 0`,
          bundleWorks ? bundleCode <= CODE_TARGET_RATIO * node : null,
          bundleWorks
            ? `${fmt(bundleCode, 1)} ms, ${fmt(bundleCode / node, 2)} × (dist/cli: ${fmt(distCode, 1)} ms; node -e 0: ${fmt(node, 1)} ms${beforeBin === null ? '' : `; before: ${fmt(median(beforeCodeTimes) / node, 2)} ×`})`
            : 'bundle not built',
        ),
      ],
    },
  ]);
}

/**
 * The bundle's bin in a checkout: packages/cli/dist/open2fa.cjs, or open2fa.mjs in builds before it
 * was split into a CommonJS start and an ES module program; null when neither is built.
 * @param {string} root
 */
function bundleBin(root) {
  const dist = join(root, 'packages', 'cli', 'dist');
  return ['open2fa.cjs', 'open2fa.mjs'].map((name) => join(dist, name)).find((path) => existsSync(path)) ?? null;
}

/** @param {() => unknown} action */
function wall(action) {
  const started = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}
