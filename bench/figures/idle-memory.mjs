// Idle memory (issue #20): VmRSS of a fresh open2fa-server (SQLite file, default settings: no
// METRICS_TOKEN, no Redis, JSON logs) after start and a first request, against a bare node:http process
// that has answered one request, in alternating rounds, medians. Target: ≤ 96 MiB.
// BENCH_BEFORE_DIR=<a checkout with a built dist/> adds that build's server to the same rounds
// (the before of a change, measured beside the after).
import { join } from 'node:path';
import { makeUser, pushOverHttp } from '../lib/fixtures.mjs';
import { median } from '../lib/load.mjs';
import { rssBytes, startBareServer, startServer } from '../lib/processes.mjs';
import { fmt, mib, verdict } from '../lib/report.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */
/** @typedef {import('../lib/report.mjs').Section} Section */

const TARGET_MIB = 96;
/** Long enough for the first request's garbage to be collected, short of V8's memory reducer (~30 s idle). */
const SETTLE_MS = 1500;

/**
 * @param {BenchContext} ctx
 * @returns {Promise<Section[]>}
 */
export async function measureIdleMemory(ctx) {
  const rounds = ctx.quick ? 3 : 5;
  const beforeDir = process.env.BENCH_BEFORE_DIR;
  const user = await makeUser(20);
  /** @type {Record<string, () => Promise<{ idle: number | null, written: number | null }>>} */
  const subjects = {
    'node:http': () => bareIdle(),
    'open2fa-server': () => serverIdle(ctx, user, undefined),
    ...(beforeDir === undefined ? {} : { 'open2fa-server (before)': () => serverIdle(ctx, user, beforeDir) }),
  };
  ctx.progress(
    `idle memory: ${Object.keys(subjects).join(' vs ')}, ${String(rounds)} fresh processes each, alternating`,
  );
  /** @type {Record<string, { idle: number[], written: number[] }>} */
  const samples = {};
  for (let round = 1; round <= rounds; round++) {
    for (const [name, measure] of Object.entries(subjects)) {
      const { idle, written } = await measure();
      const entry = (samples[name] ??= { idle: [], written: [] });
      if (idle !== null) entry.idle.push(idle);
      if (written !== null) entry.written.push(written);
      ctx.progress(
        `  round ${String(round)}/${String(rounds)} ${name}: idle ${mib(idle)}${written === null ? '' : `, after a first write ${mib(written)}`}`,
      );
    }
  }
  const idleOf = (/** @type {string} */ name) => median(samples[name]?.idle ?? []);
  const bare = idleOf('node:http');
  const server = idleOf('open2fa-server');
  const row = (/** @type {string} */ name) => {
    const entry = samples[name];
    const written = entry === undefined || entry.written.length === 0 ? 'n/a' : mib(median(entry.written));
    return `| ${name} | ${mib(idleOf(name))} | ${mib(Math.min(...(entry?.idle ?? [])))} | ${mib(Math.max(...(entry?.idle ?? [])))} | ${fmt(idleOf(name) / bare, 2)} × | ${written} |`;
  };
  return [
    {
      title: 'Idle memory: a fresh server',
      lines: [
        `VmRSS (/proc) of fresh processes, ${String(rounds)} of each in alternating rounds, medians: each answers a first request`,
        `(open2fa-server: \`GET /healthz\` and a v1 pull of an unknown user, SQLite file, default settings), then idles ${String(SETTLE_MS)} ms.`,
        'The last column is the same process after one v1 push (20 entries), which starts the SQLite writer thread.',
        '',
        '| process | idle median | min | max | × node:http | after a first write |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        ...Object.keys(subjects).map(row),
      ],
      verdicts: [
        verdict(
          `idle RSS of a fresh server ≤ ${String(TARGET_MIB)} MiB`,
          Number.isFinite(server) ? server <= TARGET_MIB * 1024 * 1024 : null,
          `${mib(server)} (node:http alone: ${mib(bare)})`,
        ),
      ],
      data: { bare, server },
    },
  ];
}

async function bareIdle() {
  const bare = await startBareServer({ status: 200, headers: [['content-type', 'text/plain']], body: '' });
  try {
    await (await fetch(`${bare.origin}/`)).arrayBuffer();
    await settle();
    return { idle: rssBytes(bare.pid), written: null };
  } finally {
    await bare.stop();
  }
}

/**
 * @param {BenchContext} ctx
 * @param {Awaited<ReturnType<typeof makeUser>>} user
 * @param {string | undefined} root another checkout's build (BENCH_BEFORE_DIR), or this one's
 */
async function serverIdle(ctx, user, root) {
  const database = join(ctx.tmpDir, `idle-${String(Date.now())}-${String(Math.random()).slice(2, 8)}.db`);
  const server = await startServer(
    { DATABASE_URL: `sqlite:${database}`, LOG_LEVEL: 'info' },
    root === undefined ? {} : { root },
  );
  try {
    const unknown = await fetch(`${server.origin}/api/v1/totps`, { headers: { 'x-user-hash': 'idle-memory-probe' } });
    await unknown.arrayBuffer();
    if (unknown.status !== 404) throw new Error(`a pull of an unknown user answered ${String(unknown.status)}`);
    await settle();
    const idle = rssBytes(server.pid);
    await pushOverHttp(server.origin, user.credentials.id, user.body);
    await settle();
    return { idle, written: rssBytes(server.pid) };
  } finally {
    await server.stop();
  }
}

function settle() {
  return new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}
