// Figure 4: the pull figure at two database sizes (SQLite, seeded in bulk), random users, the two
// servers measured in alternation. Target: p99 at the large size ≤ 1.5 × p99 at the small size.
import { closeSync, openSync, readSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { interleave, runLoad } from '../lib/load.mjs';
import { startServer } from '../lib/processes.mjs';
import { fmt, mib, verdict } from '../lib/report.mjs';
import { ENTRIES_PER_USER, ensureSeeded, seededUserHash } from '../lib/seed-sqlite.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */

/** Bytes a seeded database takes per user (measured: ~900 B with 5 entries), with room to spare. */
const BYTES_PER_USER = 1500;

/**
 * @param {BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Section[]>}
 */
export async function measureScale(ctx) {
  const sizes = ctx.quick ? [1_000, 100_000] : [1_000, 1_000_000];
  const largest = Math.max(...sizes);
  const stats = statfsSync(ctx.cacheDir);
  const free = stats.bavail * stats.bsize;
  ctx.progress(
    `scale: ${sizes.map((n) => n.toLocaleString('en')).join(' and ')} users; ${mib(free)} free in ${ctx.cacheDir}`,
  );
  if (free < largest * BYTES_PER_USER * 2) {
    throw new Error(`not enough disk space for ${largest.toLocaleString('en')} users: ${mib(free)} free`);
  }

  /** @type {{ users: number, seed: Awaited<ReturnType<typeof ensureSeeded>> }[]} */
  const databases = [];
  for (const users of sizes) {
    const seed = await ensureSeeded(join(ctx.cacheDir, `scale-${String(users)}.db`), users, ctx.progress);
    ctx.progress(
      `  ${users.toLocaleString('en')} users: ${seed.reused ? 'reused the seeded file' : `seeded in ${fmt(seed.seconds, 0)} s`} (${mib(seed.bytes)})`,
    );
    databases.push({ users, seed });
  }

  const servers = [];
  try {
    for (const { users } of databases) {
      // The figure is about steady state: start every size with its file in the OS page cache (a freshly
      // copied or migrated file would otherwise measure the disk, differently for each size).
      warmPageCache(join(ctx.cacheDir, `scale-${String(users)}.db`));
      servers.push(await startServer({ DATABASE_URL: `sqlite:${join(ctx.cacheDir, `scale-${String(users)}.db`)}` }));
    }
    const load = { connections: ctx.connections, seconds: ctx.seconds };
    const specs = databases.map(({ users }) => randomUsersSpec(users));
    /** @type {Record<string, () => Promise<import('../lib/load.mjs').RunResult>>} */
    const targets = {};
    for (const [index, server] of servers.entries()) {
      const spec = specs[index] ?? randomUsersSpec(1);
      targets[label(databases[index]?.users ?? 0)] = () => runLoad([server.origin], spec, load);
      await runLoad([server.origin], spec, { ...load, seconds: ctx.warmupSeconds });
    }
    ctx.progress('scale: pull with random users, sizes interleaved');
    const result = await interleave(targets, ctx.rounds, ctx.progress);
    const small = result[label(sizes[0] ?? 0)];
    const large = result[label(largest)];
    if (small === undefined || large === undefined) throw new Error('missing scale results');
    const ratio = large.p99 / small.p99;
    return [
      {
        title: 'Scale: pull at two SQLite database sizes',
        lines: [
          `Every user holds ${String(ENTRIES_PER_USER)} entries; each request asks for a user picked at random among all users (a precomputed random list, cycled). Seeded in bulk with better-sqlite3 (bench/lib/seed-sqlite.mjs), schema by the server's own migrations. ${String(ctx.connections)} connections, ${String(ctx.rounds)} × ${String(ctx.seconds)} s per size, interleaved, medians.`,
          '',
          '| users | entries | file | req/s | p50 ms | p99 ms | errors |',
          '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
          ...databases.map(({ users, seed }) => {
            const figures = result[label(users)];
            return `| ${users.toLocaleString('en')} | ${(users * ENTRIES_PER_USER).toLocaleString('en')} | ${mib(seed.bytes)} | ${fmt(figures?.rps ?? NaN, 0)} | ${fmt(figures?.p50 ?? NaN, 2)} | ${fmt(figures?.p99 ?? NaN, 2)} | ${String(figures?.errors ?? 0)} |`;
          }),
          '',
          `**p99 ratio large / small: ${fmt(ratio, 2)}**; req/s ratio large / small: ${fmt(large.rps / small.rps, 2)}.`,
        ],
        verdicts: [
          verdict(
            `scale: p99 at ${largest.toLocaleString('en')} users ≤ 1.5 × p99 at ${(sizes[0] ?? 0).toLocaleString('en')} users`,
            ratio <= 1.5,
            `ratio ${fmt(ratio, 2)} (${fmt(large.p99, 2)} ms vs ${fmt(small.p99, 2)} ms)`,
          ),
        ],
        data: {
          categories: databases.map(({ users }) => `${users.toLocaleString('en')} users`),
          p50: databases.map(({ users }) => result[label(users)]?.p50 ?? null),
          p99: databases.map(({ users }) => result[label(users)]?.p99 ?? null),
        },
      },
    ];
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** @param {number} users */
function label(users) {
  return `${users.toLocaleString('en')} users`;
}

/**
 * GET /api/v1/totps for users drawn at random; the list is precomputed so the load generator spends
 * no time on randomness.
 * @param {number} users
 * @returns {import('../lib/load.mjs').LoadSpec}
 */
function randomUsersSpec(users) {
  const hashes = Array.from({ length: 50_000 }, () => seededUserHash(1 + Math.floor(Math.random() * users)));
  let next = 0;
  return {
    path: '/api/v1/totps',
    nextUserHash: () => {
      next = (next + 1) % hashes.length;
      return hashes[next] ?? seededUserHash(1);
    },
  };
}

/**
 * Reads a file once, sequentially, so its pages sit in the OS page cache.
 * @param {string} path
 */
function warmPageCache(path) {
  const buffer = Buffer.alloc(16 * 1024 * 1024);
  for (const file of [path, `${path}-wal`]) {
    let descriptor;
    try {
      descriptor = openSync(file, 'r');
    } catch {
      continue;
    }
    try {
      while (readSync(descriptor, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(descriptor);
    }
  }
}
