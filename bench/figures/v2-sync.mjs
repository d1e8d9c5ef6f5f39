// Figure 3: v2 sync (`since` cursor, 20 changes): req/s and p99 against the bare baseline replaying the
// same bytes. The 20 items are real v2 envelopes made with the project's own core (dist/core).
import { join } from 'node:path';
import { seedV2Account } from '../lib/fixtures.mjs';
import { startServer } from '../lib/processes.mjs';
import { fmt, verdict } from '../lib/report.mjs';
import { compare, throughputSection } from './http-vs-bare.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */

const CHANGES = 20;
/** Issue 20's target for the v2 read path. */
const TARGET = 0.4;

/**
 * @param {BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Section[]>}
 */
export async function measureV2Sync(ctx) {
  const server = await startServer({ DATABASE_URL: `sqlite:${join(ctx.tmpDir, 'v2-sync.db')}` });
  try {
    const spec = await seedV2Account(server.origin, CHANGES);
    ctx.progress(`v2 sync: GET /api/v2/items?since=0 (${String(CHANGES)} changes) vs bare node:http`);
    const figures = await compare(ctx, server, spec, false);
    return [
      throughputSection(
        `v2 sync: GET /api/v2/items?since=0, ${String(CHANGES)} changes (authenticated)`,
        figures,
        [
          verdict(
            `v2 sync ratio ≥ ${String(TARGET)} of bare node:http`,
            figures.ratio >= TARGET,
            `ratio ${fmt(figures.ratio, 2)}; server CPU per answer ${fmt((figures.subject.cpu?.user ?? NaN) + (figures.subject.cpu?.system ?? NaN), 1)} µs against ${fmt((figures.bare.cpu?.user ?? NaN) + (figures.bare.cpu?.system ?? NaN), 1)} µs`,
          ),
        ],
        ctx,
      ),
    ];
  } finally {
    await server.stop();
  }
}
