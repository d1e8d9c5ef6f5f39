import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameCodes } from '../../src/core/entry/compare.js';
import type { Entry } from '../../src/core/entry/model.js';
import { IMPORT_FORMAT_SPECS } from '../../src/core/formats/format-registry.js';
import { FORMAT_CASES, type FormatCase } from '../core/formats/cases/index.js';
import { googleAuthenticatorDbCases } from '../core/formats/cases/google-authenticator-db-case.js';
import { browserSkipReason, launchBrowser, requireWebBuild } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  confirmNewAccount,
  newUser,
  noticeText,
  PageRecorder,
  unlock,
  usePageSession,
  type TestUser,
} from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';

// Every import format in the page, in Chromium: each file of FORMAT_CASES (the ones the format tests
// and the CLI's registry test read, test/core/formats/every-format.test.ts) is chosen in the import
// panel of a fresh account, its password typed where it has one, and imported; the entries the
// server then holds, decrypted here, must be the case's expected entries with every parameter, note,
// group and favourite. One browser and one page for all; a fresh account per file.

const skip = browserSkipReason();

/** The entries an import stores: the file's, less those with the same codes as an earlier one. */
function storedOf(entries: readonly Entry[]): Entry[] {
  const kept: Entry[] = [];
  for (const entry of entries) if (!kept.some((known) => sameCodes(known, entry))) kept.push(entry);
  return kept;
}

/** Entries in a stable order, to compare what the server holds (in item-id order) with a file's. */
const sorted = (entries: readonly (Entry | null)[]): (Entry | null)[] =>
  [...entries].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe.skipIf(skip !== null)('every import format in the page (Chromium)', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let server: TestServer;
  let recorder: PageRecorder;

  beforeAll(async () => {
    await requireWebBuild();
    browser = await launchBrowser();
    // One page opens ~40 accounts from one address within a minute: more than the default budget.
    server = await startTestServer({ rateLimitMax: 10_000, rateLimitFailedLookups: 10_000 });
    context = await browser.newContext();
    page = await context.newPage();
    recorder = new PageRecorder(page);
  });
  afterAll(async () => {
    await context.close();
    await browser.close();
    await server.close();
  });

  /** A new account, unlocked in a freshly loaded page, with nothing stored. */
  async function freshAccount(): Promise<TestUser> {
    const user = await newUser();
    await page.goto(`${server.origin}/`);
    await unlock(page, user.id, user.secret);
    await confirmNewAccount(page);
    await expect.poll(() => noticeText(page), { timeout: 20_000 }).toContain('no entries stored');
    return user;
  }

  /** The preview's rows as `name → outcome`. */
  async function previewRows(): Promise<string[]> {
    await page.locator('#import-preview').waitFor();
    return page
      .locator('#import-rows > li')
      .evaluateAll((items) =>
        items.map(
          (item) =>
            `${item.querySelector('.import-name')?.textContent ?? ''} → ${item.querySelector('.import-outcome')?.textContent ?? ''}`,
        ),
      );
  }

  async function choose(one: FormatCase): Promise<void> {
    const content = await one.file();
    await page.getByLabel('Or choose an export file or a QR code image').setInputFiles({
      name: one.fileName,
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(typeof content === 'string' ? new TextEncoder().encode(content) : content),
    });
  }

  async function typePassword(one: FormatCase, password: string): Promise<void> {
    const label = IMPORT_FORMAT_SPECS.find((spec) => spec.name === one.format)?.label ?? one.format;
    await expect
      .poll(() => noticeText(page), { timeout: 20_000 })
      .toBe(`This ${label} file is encrypted: enter its password.`);
    await page.getByLabel('Password of the export').fill(password);
    await page.getByRole('button', { name: 'Open' }).click();
  }

  it('has a file of every format of the registry', () => {
    expect(new Set(FORMAT_CASES.map((one) => one.format))).toEqual(
      new Set(IMPORT_FORMAT_SPECS.map((spec) => spec.name)),
    );
  });

  for (const one of FORMAT_CASES) {
    it(`imports ${one.format}: ${one.variant}`, async () => {
      const user = await freshAccount();
      const stored = storedOf(one.expected);
      await choose(one);
      if (one.password !== undefined) await typePassword(one, one.password);

      const rows = await previewRows();
      expect(rows.filter((row) => row.endsWith(' → will be added'))).toEqual(
        stored.map((entry) => `${entry.name ?? 'Unnamed'} → will be added`),
      );
      expect(rows.filter((row) => row.includes(' → invalid: ')).map((row) => row.split(' → ')[0])).toEqual(
        one.refused ?? [],
      );
      expect(rows.filter((row) => row.endsWith(' → already stored'))).toHaveLength(one.expected.length - stored.length);
      expect(rows).toHaveLength(one.expected.length + (one.refused?.length ?? 0));

      await page
        .getByRole('button', {
          name: stored.length === 1 ? 'Import 1 entry' : `Import ${String(stored.length)} entries`,
        })
        .click();
      await expect
        .poll(() => noticeText(page), { timeout: 20_000 })
        .toMatch(/^Imported (one entry|\d+ entries), encrypted in this page\./);
      const held = (await new V2TestClient(server, user).live()).map((item) => item.entry);
      expect(sorted(held)).toEqual(sorted(stored));

      // No request carried a secret, the password or the account's credentials; no page error.
      const secrets = stored.map((entry) => entry.secret);
      await recorder.assertClean(server.origin, [
        user.uuid,
        user.secret,
        ...secrets,
        ...(one.password === undefined ? [] : [one.password]),
      ]);
      recorder.requests.length = 0;
    }, 90_000);
  }
});

describe.skipIf(skip !== null)('an import chosen offline (Chromium)', () => {
  const session = usePageSession({});

  it('reads a database file with the server gone: the import chunks and sql.js’s WebAssembly come from the service worker', async () => {
    const { server, page, user } = session();
    await page.goto(`${server.origin}/`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // A page loaded before its worker was in charge is not controlled: load it again, as a returning visitor.
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await unlock(page, user.id, user.secret);
    await confirmNewAccount(page);
    await expect.poll(() => noticeText(page), { timeout: 20_000 }).toContain('no entries stored');

    await server.app.close();
    const [one] = googleAuthenticatorDbCases;
    if (one === undefined) throw new Error('no Google Authenticator database case');
    const content = await one.file();
    await page.getByLabel('Or choose an export file or a QR code image').setInputFiles({
      name: one.fileName,
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(content),
    });
    await page.locator('#import-preview').waitFor();
    expect(await page.locator('#import-rows .import-name').allTextContents()).toEqual(
      one.expected.map((entry) => entry.name),
    );
  }, 60_000);
});
