import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const skip = browserSkipReason();
const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

describe.skipIf(skip !== null)('the core in Chromium (WebCrypto path)', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startTestServer()]);
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  it('passes the RFC 4226/6238, open2fa v1 and v2 vectors, must-reject rows included', async () => {
    const bundle = await esbuild.build({
      entryPoints: [here('./fixtures/core-vectors.entry.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'coreVectors',
      footer: { js: 'globalThis.coreVectors = coreVectors;' },
      platform: 'browser',
      target: 'es2022',
    });
    const code = bundle.outputFiles[0]?.text ?? '';
    const [rfc, v1, v2] = await Promise.all(
      ['../vectors/rfc6238.json', '../vectors/open2fa-v1.json', '../vectors/open2fa-v2.json'].map(
        async (path) => JSON.parse(await readFile(here(path), 'utf8')) as unknown,
      ),
    );
    const page = await browser.newPage();
    // A page of our own origin: loopback is a secure context, so crypto.subtle exists as in production.
    await page.goto(`${server.origin}/api/v1/`);
    // Evaluated through the DevTools protocol, which the page's CSP (no eval) does not govern.
    await page.evaluate(code);
    const result = await page.evaluate(
      async ([rfcVectors, v1Vectors, v2Vectors]) => {
        const runner = (
          globalThis as unknown as {
            coreVectors: {
              run: (a: unknown, b: unknown, c: unknown) => Promise<{ checked: number; failures: string[] }>;
            };
          }
        ).coreVectors;
        return runner.run(rfcVectors, v1Vectors, v2Vectors);
      },
      [rfc, v1, v2] as const,
    );
    await page.close();
    expect(result.failures).toEqual([]);
    // 60+ RFC and v1 rows, and per v2 case 5 key checks plus 6 per envelope.
    expect(result.checked).toBeGreaterThan(100);
  });
});
