import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDir, runOpen2fa } from '../../cli-harness.js';

/**
 * A hostile or broken server that answers `more: true` for ever with the same page: the CLI used to
 * page for ever (memory past 1 GB in 13 s). Paging goes through core/http/paging.ts, which the page
 * uses too (test/core/http/exchange.test.ts drives the same code through the v2 client).
 */
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe('a server that never stops paging', () => {
  it('makes remote pull stop with one clear line within a second', async () => {
    let pages = 0;
    let firstPageAt = 0;
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url?.startsWith('/api/v2/items') === true) {
        if (pages++ === 0) firstPageAt = Date.now();
        const item = { id: 'AAAAAAAAAAAAAAAAAAAAAA', rev: 1, seq: 1, deleted: true, envelope: null };
        response.end(JSON.stringify({ items: [item], seq: 1, more: true }));
        return;
      }
      response.statusCode = 404;
      response.end(JSON.stringify({ detail: 'No user found for the given X-User-Hash header' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => server.close());
    const origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    const dir = await freshDir();
    const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: `${origin}/api/v1`, OPEN2FA_UUID: crypto.randomUUID() };
    const run = await runOpen2fa(['remote', 'pull'], { env });
    // From the first page of the listing to the end of the command (start-up and key derivation before).
    expect(Date.now() - firstPageAt).toBeLessThan(1000);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      `open2fa: error: the open2fa server at ${origin}/api/v2/items sent an unexpected answer ` +
        "(the server's paging does not move forward (page 2 repeats))\n",
    );
    expect(pages).toBe(2);
  });
});
