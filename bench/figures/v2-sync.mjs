// Figure 3: v2 sync (`since` cursor, 20 changes): req/s and p99 against the bare baseline replaying the
// same bytes. The 20 items are real v2 envelopes made with the project's own core (dist/core).
import { join } from 'node:path';
import {
  deriveV1Credentials,
  deriveV2Keys,
  makeEntry,
  randomItemId,
  randomUuid,
  sealEnvelope,
} from '../../dist/core/index.js';
import { base32Secret } from '../lib/fixtures.mjs';
import { startServer } from '../lib/processes.mjs';
import { compare, throughputSection } from './http-vs-bare.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */

const CHANGES = 20;

/**
 * @param {BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Section[]>}
 */
export async function measureV2Sync(ctx) {
  const server = await startServer({ DATABASE_URL: `sqlite:${join(ctx.tmpDir, 'v2-sync.db')}` });
  try {
    const v1 = await deriveV1Credentials(randomUuid());
    const keys = await deriveV2Keys(v1.key);
    const headers = { 'x-user-hash': v1.id, authorization: `Bearer ${keys.authToken}` };
    for (let index = 0; index < CHANGES; index++) {
      const itemId = randomItemId();
      const entry = makeEntry(base32Secret(index), `Service ${String(index + 1)}`);
      const envelope = await sealEnvelope(keys.envelopeKey, { userId: v1.id, itemId }, entry);
      const response = await fetch(`${server.origin}/api/v2/items/${itemId}`, {
        method: 'PUT',
        headers: { ...headers, 'if-match': '"0"', 'content-type': 'application/json' },
        body: JSON.stringify({ envelope }),
      });
      if (!response.ok) throw new Error(`v2 seed failed: ${String(response.status)} ${await response.text()}`);
    }
    ctx.progress(`v2 sync: GET /api/v2/items?since=0 (${String(CHANGES)} changes) vs bare node:http`);
    const figures = await compare(ctx, server, { path: '/api/v2/items?since=0', headers }, false);
    return [
      throughputSection(
        `v2 sync: GET /api/v2/items?since=0, ${String(CHANGES)} changes (authenticated)`,
        figures,
        [],
        ctx,
      ),
    ];
  } finally {
    await server.stop();
  }
}
