import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_NOT_BUILT_DETAIL, webRoutes } from '../../src/server/routes/web-routes.js';
import { requireWebBuild, type WebManifest } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The issue's budget for everything the page loads before anything is clicked. */
const INITIAL_BUDGET_GZIP_BYTES = 35 * 1024;

describe('GET / and the web assets', () => {
  let server: TestServer;
  let manifest: WebManifest;

  beforeAll(async () => {
    manifest = await requireWebBuild();
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves the page with the enforced CSP, nosniff, no-referrer and no-cache', async () => {
    const response = await server.app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['content-security-policy-report-only']).toBeUndefined();
    const csp = String(response.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self' 'wasm-unsafe-eval';",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    // Only WebAssembly may be compiled (sql.js): never eval() or inline script.
    expect(csp.replace("'wasm-unsafe-eval'", '')).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });

  it('has no inline script, no inline style and no event-handler attribute', async () => {
    const html = (await server.app.inject({ url: '/' })).body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\/[^"]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|javascript:/i);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//i);
  });

  it('serves fingerprinted assets with immutable caching', async () => {
    for (const file of [...manifest.initial.filter((item) => item.url !== '/'), ...manifest.lazy]) {
      expect(file.url).toMatch(/-[A-Z0-9]{8}\.(?:js|css)$/);
      const response = await server.app.inject({ url: file.url });
      expect(response.statusCode, file.url).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['content-type']).toMatch(
        file.url.endsWith('.css') ? /^text\/css/ : /^text\/javascript|^application\/javascript/,
      );
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await server.app.inject({ url: '/assets/main-NOTBUILT.js' })).statusCode).toBe(404);
    expect((await server.app.inject({ url: '/assets/../manifest.json' })).statusCode).toBe(404);
  });

  it('keeps the initial load within 35 KiB gzipped (the QR decoder is loaded lazily)', async () => {
    const measure = async (url: string): Promise<number> =>
      gzipSync((await server.app.inject({ url })).rawPayload).length;
    const initial = await Promise.all(
      manifest.initial.map(async (file) => ({ url: file.url, gzip: await measure(file.url) })),
    );
    const lazy = await Promise.all(
      manifest.lazy.map(async (file) => ({ url: file.url, gzip: await measure(file.url) })),
    );
    const total = initial.reduce((sum, file) => sum + file.gzip, 0);
    console.info(
      `web size (gzip): initial ${String(total)} B = ${initial.map((file) => `${file.url} ${String(file.gzip)}`).join(', ')}; lazy ${lazy.map((file) => `${file.url} ${String(file.gzip)}`).join(', ')}`,
    );
    // The index.html references exactly the manifest's initial CSS and entry script.
    const html = (await server.app.inject({ url: '/' })).body;
    for (const url of Object.values(manifest.entries)) expect(html).toContain(url);
    expect(total).toBeLessThanOrEqual(INITIAL_BUDGET_GZIP_BYTES);
  });

  it('answers 503 with what to do when the web UI is not built', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'open2fa-web-'));
    const app = Fastify();
    await app.register(webRoutes({ root: empty }));
    try {
      const response = await app.inject({ url: '/' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ detail: WEB_NOT_BUILT_DETAIL });
      expect(WEB_NOT_BUILT_DETAIL).toContain('npm run build');
    } finally {
      await app.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
