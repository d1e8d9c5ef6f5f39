// Figure 3: v2 sync (`since` cursor, 20 changes): req/s and p99 against the bare baseline.
// Protocol v2 does not exist yet. When it lands, replace the body of measureV2Sync with: start a
// server, push 20 changes, then `compare()` as in http-vs-bare.mjs with the sync request as the spec.

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */

export const V2_NOT_MEASURED = 'v2 sync: not measured (protocol v2 not implemented yet)';

/**
 * @param {BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Section[]>}
 */
export function measureV2Sync(ctx) {
  ctx.progress(V2_NOT_MEASURED);
  return Promise.resolve([
    {
      title: 'v2 sync: `since` cursor, 20 changes',
      lines: [V2_NOT_MEASURED + '.'],
      verdicts: [{ target: 'v2 sync', pass: null, detail: 'protocol v2 not implemented yet' }],
    },
  ]);
}
