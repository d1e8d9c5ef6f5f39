// Figure 8: the web UI. (a) the page weight: the first load as test/web/web-routes.test.ts counts its
// 35 KiB budget (bench/lib/page-weight.mjs), checked against what Chromium fetches before anything is
// clicked, and each lazy chunk group on its own; (b) time from the API response arriving to 100 codes
// shown, in headless Chromium, for a user with 100 entries.
// The functions passed to page.evaluate run in the page, hence the browser globals:
/* global window, document, MutationObserver, requestAnimationFrame */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeUser, pushOverHttp } from '../lib/fixtures.mjs';
import { median } from '../lib/load.mjs';
import { FIRST_LOAD_BUDGET_BYTES, measurePageWeight } from '../lib/page-weight.mjs';
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
    ctx.progress('web: page weight (first load, lazy chunks) and time to 100 codes in Chromium');
    const user = await makeUser(ENTRIES);
    await pushOverHttp(server.origin, user.credentials.id, user.body);
    const browserRuns = await timeToCodes(ctx, server.origin, user.credentials.id, user.credentials.secret);
    const weight = await measurePageWeight(server.origin);
    const { lines, weightVerdict } = weightLines(weight, browserRuns);
    if (browserRuns.error !== null) {
      lines.push(`Time to 100 codes: not measured (${browserRuns.error}).`);
      return [
        {
          title: TITLE,
          lines,
          verdicts: [weightVerdict, verdict('web UI: time to 100 codes', null, browserRuns.error)],
        },
      ];
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
          weightVerdict,
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
 * The weight tables and the budget verdict. The first load is the build manifest's list; Chromium's own
 * fetches before any click must be that list, or the figure says what differs.
 * @param {Awaited<ReturnType<typeof measurePageWeight>>} weight
 * @param {{ firstLoad: Set<string>, loaded: Set<string>, error: string | null }} runs
 */
function weightLines(weight, runs) {
  const counted = new Set(weight.firstLoad.map((file) => file.path));
  const uncounted = [...runs.firstLoad].filter((path) => !counted.has(path));
  const unfetched = runs.error === null ? [...counted].filter((path) => !runs.firstLoad.has(path)) : [];
  const unlockExtra = weight.groups
    .flatMap((group) => group.files)
    .filter((file, index, all) => runs.loaded.has(file.path) && all.findIndex((f) => f.path === file.path) === index);
  const lines = [
    `First load, counted as \`test/web/web-routes.test.ts\` counts its budget: the files \`dist/web/manifest.json\` lists as initial (the page, its CSS, the entry script and the chunks it imports statically), fetched from the server and gzipped at zlib's default level (as servers compress). Icons, the web app manifest and the service worker are not counted.`,
    '',
    '| file | raw | gzip |',
    '| --- | ---: | ---: |',
    ...weight.firstLoad.map((file) => `| \`${file.path}\` | ${kib(file.raw)} | ${kib(file.gzip)} |`),
    `| **first load** | ${kib(weight.firstLoad.reduce((sum, file) => sum + file.raw, 0))} | **${kib(weight.firstLoadGzip)}** (budget ${kib(FIRST_LOAD_BUDGET_BYTES)}) |`,
    '',
    runs.error === null
      ? uncounted.length === 0 && unfetched.length === 0
        ? 'Chromium, opening the page, fetched exactly these scripts and stylesheets before anything was clicked.'
        : `Chromium's first load differs from the count: fetched but not counted ${uncounted.join(', ') || 'none'}; counted but not fetched ${unfetched.join(', ') || 'none'}.`
      : `Chromium's first load not checked (${runs.error}).`,
    '',
    'Lazy chunks, by what loads them: each dynamic `import()` in the built code with the files of its static closure the first load has not fetched (groups overlap where they share a chunk; a WebAssembly file its code names is included).',
    '',
    '| lazy group | entry | files | raw | gzip |',
    '| --- | --- | ---: | ---: | ---: |',
    ...weight.groups.map(
      (group) =>
        `| ${group.label} | \`${group.name}\` | ${String(group.files.length)} | ${kib(group.raw)} | ${kib(group.gzip)} |`,
    ),
    '',
    `Unlocking a user with ${String(ENTRIES)} entries fetched ${String(unlockExtra.length)} lazy files, ${kib(unlockExtra.reduce((sum, file) => sum + file.gzip, 0))} gzipped (${unlockExtra.map((file) => `\`${file.path}\``).join(', ') || 'none'}).`,
    '',
  ];
  const exact = runs.error !== null || (uncounted.length === 0 && unfetched.length === 0);
  const within = weight.firstLoadGzip <= FIRST_LOAD_BUDGET_BYTES;
  const weightVerdict = verdict(
    `web UI: first load ≤ ${kib(FIRST_LOAD_BUDGET_BYTES)} gzipped`,
    within && exact,
    `${kib(weight.firstLoadGzip)} in ${String(weight.firstLoad.length)} files${exact ? '' : ' (Chromium fetched other files: see the section)'}`,
  );
  return { lines, weightVerdict };
}

/**
 * @param {BenchContext} ctx
 * @param {string} origin
 * @param {string} id
 * @param {string} secret
 * @returns {Promise<{ inDom: number[], painted: number[], firstLoad: Set<string>, loaded: Set<string>, error: string | null }>}
 *   `firstLoad`: the same-origin scripts, stylesheets and documents the page fetched before anything was
 *   clicked (first run); `loaded`: the other same-origin files it fetched while unlocking.
 */
async function timeToCodes(ctx, origin, id, secret) {
  /** @type {Set<string>} */
  const firstLoad = new Set();
  /** @type {Set<string>} */
  const loaded = new Set();
  if (!existsSync(CHROMIUM)) return { inDom: [], painted: [], firstLoad, loaded, error: `no Chromium at ${CHROMIUM}` };
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
      let clicked = false;
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (run > 0 || url.origin !== origin || url.pathname.startsWith('/api/')) return;
        if (clicked) loaded.add(url.pathname);
        else if (['document', 'script', 'stylesheet'].includes(request.resourceType())) firstLoad.add(url.pathname);
      });
      try {
        // networkidle: a script the page imported late, before any click, still counts as first load.
        await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
        clicked = true;
        const idField = page.getByLabel('Open2FA ID', { exact: true });
        const secretField = page.getByLabel('Open2FA Secret', { exact: true });
        if ((await idField.count()) !== 1 || (await secretField.count()) !== 1) {
          return {
            inDom,
            painted,
            firstLoad,
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
          firstLoad,
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
  return { inDom, painted, firstLoad, loaded, error: null };
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
