// Figure 8: the web UI. (a) gzipped size (zlib level 9) of everything the page loads; (b) time from
// the API response arriving to 100 codes shown, in headless Chromium, for a user with 100 entries.
// The functions passed to page.evaluate run in the page, hence the browser globals:
/* global window, document, MutationObserver, requestAnimationFrame */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeUser, pushOverHttp } from '../lib/fixtures.mjs';
import { median } from '../lib/load.mjs';
import { startServer } from '../lib/processes.mjs';
import { fmt, kib, verdict } from '../lib/report.mjs';

/** @typedef {import('../lib/report.mjs').BenchContext} BenchContext */
/** @typedef {import('../lib/report.mjs').Section} Section */

export const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const ENTRIES = 100;
const TITLE = 'Web UI: page weight and time to 100 codes';

/**
 * @param {BenchContext} ctx
 * @returns {Promise<Section[]>}
 */
export async function measureWebUi(ctx) {
  const server = await startServer({ DATABASE_URL: `sqlite:${join(ctx.tmpDir, 'web.db')}` });
  try {
    const page = await fetch(`${server.origin}/`);
    const html = await page.text();
    if (!page.ok || !/<label[^>]*>\s*Open2FA ID\s*</.test(html) || !/<label[^>]*>\s*Open2FA Secret\s*</.test(html)) {
      return notAvailable(
        ctx,
        page.ok
          ? 'GET / has no fields labelled "Open2FA ID" and "Open2FA Secret"'
          : `GET / answered ${String(page.status)}`,
      );
    }
    ctx.progress('web: page weight (gzip -9) and time to 100 codes in Chromium');
    const user = await makeUser(ENTRIES);
    await pushOverHttp(server.origin, user.credentials.id, user.body);
    const browserRuns = await timeToCodes(ctx, server.origin, user.credentials.id, user.credentials.secret);
    const files = await pageWeight(server.origin, html, browserRuns.loaded);
    const totalGzip = files.reduce((sum, file) => sum + file.gzip, 0);
    const totalRaw = files.reduce((sum, file) => sum + file.raw, 0);
    const lines = [
      `Files: GET / plus every script and stylesheet it references, plus any other same-origin file Chromium fetched while showing the codes (lazy chunks), API calls excluded. Sizes gzipped with zlib level 9.`,
      '',
      '| file | raw | gzip -9 | how |',
      '| --- | ---: | ---: | --- |',
      ...files.map((file) => `| \`${file.path}\` | ${kib(file.raw)} | ${kib(file.gzip)} | ${file.how} |`),
      `| **total** | ${kib(totalRaw)} | **${kib(totalGzip)}** | |`,
      '',
    ];
    if (browserRuns.error !== null) {
      lines.push(`Time to 100 codes: not measured (${browserRuns.error}).`);
      return [{ title: TITLE, lines, verdicts: [verdict('web UI: time to 100 codes', null, browserRuns.error)] }];
    }
    const inDom = median(browserRuns.inDom);
    const painted = median(browserRuns.painted);
    lines.push(
      `Time from the \`GET /api/v1/totps\` response ending (Resource Timing \`responseEnd\`) to ${String(ENTRIES)} codes in the page (MutationObserver), and to the next animation frame after that (painted); headless Chromium (${CHROMIUM}), ${String(browserRuns.inDom.length)} page loads, medians. Includes the v1 decryption of ${String(ENTRIES)} entries with WebCrypto and the first TOTP computation.`,
      '',
      '| step | median ms | all runs ms |',
      '| --- | ---: | --- |',
      `| response → ${String(ENTRIES)} codes in the DOM | ${fmt(inDom, 1)} | ${browserRuns.inDom.map((value) => fmt(value, 1)).join(', ')} |`,
      `| response → next frame (shown) | ${fmt(painted, 1)} | ${browserRuns.painted.map((value) => fmt(value, 1)).join(', ')} |`,
    );
    return [
      {
        title: TITLE,
        lines,
        verdicts: [
          verdict(
            'web UI: page weight (no target)',
            true,
            `${kib(totalGzip)} gzipped in ${String(files.length)} files`,
          ),
          verdict(
            `web UI: ${String(ENTRIES)} codes shown (no target)`,
            true,
            `${fmt(painted, 1)} ms after the API response`,
          ),
        ],
      },
    ];
  } finally {
    await server.stop();
  }
}

/**
 * @param {BenchContext} ctx
 * @param {string} why
 * @returns {Section[]}
 */
function notAvailable(ctx, why) {
  ctx.progress(`web: not available (${why})`);
  return [
    {
      title: TITLE,
      lines: [`web UI not available: ${why}.`],
      verdicts: [verdict('web UI', null, 'web UI not available')],
    },
  ];
}

/**
 * @param {string} origin
 * @param {string} html
 * @param {Set<string>} loaded same-origin paths Chromium fetched
 */
async function pageWeight(origin, html, loaded) {
  /** @type {Map<string, string>} */
  const paths = new Map([['/', 'the page']]);
  for (const match of html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)) {
    const reference = match[1] ?? '';
    if (reference.startsWith('data:')) continue;
    const url = new URL(reference, `${origin}/`);
    if (url.origin === origin) paths.set(url.pathname, 'referenced by the HTML');
  }
  for (const path of loaded) if (!paths.has(path)) paths.set(path, 'loaded by Chromium');
  const files = [];
  for (const [path, how] of paths) {
    const response = await fetch(`${origin}${path}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw new Error(`GET ${path} answered ${String(response.status)}`);
    files.push({ path, how, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return files;
}

/**
 * @param {BenchContext} ctx
 * @param {string} origin
 * @param {string} id
 * @param {string} secret
 * @returns {Promise<{ inDom: number[], painted: number[], loaded: Set<string>, error: string | null }>}
 */
async function timeToCodes(ctx, origin, id, secret) {
  /** @type {Set<string>} */
  const loaded = new Set();
  if (!existsSync(CHROMIUM)) return { inDom: [], painted: [], loaded, error: `no Chromium at ${CHROMIUM}` };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  /** @type {number[]} */
  const inDom = [];
  /** @type {number[]} */
  const painted = [];
  try {
    const runs = ctx.quick ? 3 : 7;
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.origin === origin && !url.pathname.startsWith('/api/')) loaded.add(url.pathname);
      });
      try {
        await page.goto(`${origin}/`, { waitUntil: 'load' });
        const idField = page.getByLabel('Open2FA ID', { exact: true });
        const secretField = page.getByLabel('Open2FA Secret', { exact: true });
        if ((await idField.count()) !== 1 || (await secretField.count()) !== 1) {
          return {
            inDom,
            painted,
            loaded,
            error: 'web UI not available: no fields labelled "Open2FA ID" / "Open2FA Secret"',
          };
        }
        await idField.fill(id);
        await secretField.fill(secret);
        await page.evaluate(watchForCodes, ENTRIES);
        await secretField.press('Enter');
        const timing = await page.evaluate(
          /** @returns {Promise<{ inDom: number, painted: number, responseEnd: number }>} */
          async () => {
            const done = /** @type {{ __benchCodes: Promise<{ inDom: number, painted: number }> }} */ (
              /** @type {unknown} */ (window)
            ).__benchCodes;
            const shown = await done;
            const entries = performance
              .getEntriesByType('resource')
              .filter((entry) => new URL(entry.name).pathname === '/api/v1/totps' && entry.responseEnd <= shown.inDom);
            const last = /** @type {PerformanceResourceTiming | undefined} */ (entries[entries.length - 1]);
            return { ...shown, responseEnd: last?.responseEnd ?? Number.NaN };
          },
        );
        inDom.push(timing.inDom - timing.responseEnd);
        painted.push(timing.painted - timing.responseEnd);
      } catch (error) {
        return {
          inDom,
          painted,
          loaded,
          error: `web UI not available: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`,
        };
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return { inDom, painted, loaded, error: null };
}

/**
 * Runs in the page: resolves `window.__benchCodes` when `wanted` elements show a TOTP code (six to
 * eight digits, maybe grouped "123 456"), with the time then and at the next animation frame.
 * @param {number} wanted
 */
function watchForCodes(wanted) {
  const isCode = /^(?:\d{3}[\s\u00a0]?\d{3}|\d{6,8}|\d{4}[\s\u00a0]?\d{4})$/;
  const count = () => {
    let found = 0;
    for (const element of document.body.querySelectorAll('*')) {
      if (element.childElementCount === 0 && isCode.test((element.textContent ?? '').trim())) found++;
    }
    return found;
  };
  /** @type {Promise<{ inDom: number, painted: number }>} */
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`fewer than ${String(wanted)} codes after 20 s (${String(count())} shown)`));
    }, 20_000);
    const observer = new MutationObserver(() => {
      if (count() < wanted) return;
      observer.disconnect();
      clearTimeout(timer);
      const shownAt = performance.now();
      requestAnimationFrame(() => {
        resolve({ inDom: shownAt, painted: performance.now() });
      });
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  /** @type {{ __benchCodes?: unknown }} */ (/** @type {unknown} */ (window)).__benchCodes = done;
}
