import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { launchBrowser, requireWebBuild } from '../helpers/browser.js';
import { startTestServer } from '../helpers/test-server.js';
import { decryptV1, deriveV1Credentials, encryptV1, totpCode } from '../../src/core/index.js';
import type { TestServer } from '../helpers/test-server.js';

export interface TestUser {
  readonly uuid: string;
  readonly id: string;
  readonly secret: string;
  readonly key: Uint8Array<ArrayBuffer>;
}

export interface PlainEntry {
  readonly secret: string;
  readonly name: string | null;
}

export async function newUser(): Promise<TestUser> {
  const uuid = randomUUID();
  const { id, secret, key } = await deriveV1Credentials(uuid);
  return { uuid, id, secret, key };
}

/** Stores entries the way a 1.x client pushes them: encrypted here, in the test. */
export async function seed(server: TestServer, user: TestUser, entries: readonly PlainEntry[]): Promise<void> {
  const totps = await Promise.all(
    entries.map(async (entry) => ({ enc_secret: await encryptV1(user.key, entry.secret), name: entry.name })),
  );
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/totps',
    headers: { 'x-user-hash': user.id },
    payload: { totps },
  });
  expect(response.statusCode).toBe(200);
}

/** What the server holds for `user`, decrypted in the test; `null` for an unknown user. */
export async function storedEntries(
  server: TestServer,
  user: TestUser,
): Promise<(PlainEntry & { encSecret: string })[] | null> {
  const response = await server.app.inject({ url: '/api/v1/totps', headers: { 'x-user-hash': user.id } });
  if (response.statusCode === 404) return null;
  const { totps } = response.json<{ totps: { enc_secret: string; name: string | null }[] }>();
  return Promise.all(
    totps.map(async (item) => ({
      encSecret: item.enc_secret,
      name: item.name,
      secret: await decryptV1(user.key, item.enc_secret),
    })),
  );
}

/** The grouped codes valid from one period before to one after `time`. */
export function codesAround(secret: string, time: number): Set<string> {
  return new Set([-30_000, 0, 30_000].map((delta) => grouped(totpCode({ secret }, time + delta))));
}

export function grouped(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}

export interface Row {
  readonly name: string;
  readonly code: string;
  readonly countdown: string;
}

export async function readRows(page: Page): Promise<Row[]> {
  return page.locator('#entry-list > li').evaluateAll((items) =>
    items.map((item) => ({
      name: item.querySelector('.entry-name')?.textContent ?? '',
      code: item.querySelector('.code')?.textContent ?? '',
      countdown: item.querySelector('.seconds')?.textContent ?? '',
    })),
  );
}

export async function unlock(page: Page, id: string, secret: string): Promise<void> {
  await page.getByLabel('Open2FA ID', { exact: true }).fill(id);
  await page.getByLabel('Open2FA Secret', { exact: true }).fill(secret);
  await page.getByLabel('Open2FA Secret', { exact: true }).press('Enter');
}

/**
 * Fills the import panel with two otpauth links and a broken one and shows the preview (made in the
 * page, nothing sent): the picture docs/web.md shows of an import, on a phone and on a desktop.
 */
export async function showImportPreview(page: Page): Promise<void> {
  await page
    .getByLabel('otpauth:// or otpauth-migration:// links, or an export file’s text')
    .fill(
      [
        'otpauth://totp/Forum:bob?secret=ORSXG5DJNZTSA4TFNVXXIZJAMFSGI&issuer=Forum',
        'otpauth://totp/GitHub?secret=JBSWY3DPEHPK3PXP',
        'otpauth://totp/Broken?secret=1',
      ].join('\n'),
    );
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.locator('#import-preview').waitFor();
}

export async function noticeText(page: Page): Promise<string> {
  return (await page.locator('#notice').textContent()) ?? '';
}

/**
 * Every request the page makes, and the page's own errors. `assertClean` checks the privacy promise:
 * nothing leaves the server's origin, and no URL, header or body carries a forbidden value.
 */
export class PageRecorder {
  readonly requests: Request[] = [];
  readonly errors: string[] = [];

  constructor(page: Page) {
    page.on('request', (request) => this.requests.push(request));
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) this.errors.push(message.text());
    });
  }

  async assertClean(origin: string, forbidden: readonly string[]): Promise<void> {
    expect(this.errors).toEqual([]);
    expect(this.requests.length).toBeGreaterThan(0);
    const needles = forbidden.flatMap((value) => [value, value.toLowerCase(), value.replaceAll('-', '')]);
    for (const request of this.requests) {
      const url = new URL(request.url());
      if (url.protocol === 'data:') continue;
      expect(url.origin, request.url()).toBe(origin);
      const headers = await request.allHeaders();
      const seen = [
        request.url(),
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        request.postData() ?? '',
      ].join('\n');
      for (const needle of needles)
        expect(seen.includes(needle), `${request.method()} ${request.url()} carries ${needle}`).toBe(false);
    }
  }

  apiRequests(): Request[] {
    return this.requests.filter((request) => new URL(request.url()).pathname.startsWith('/api/'));
  }
}

/** What every browser test gets fresh: a server with an empty database, a page, its recorder and a user. */
export interface PageSession {
  readonly server: TestServer;
  readonly page: Page;
  readonly recorder: PageRecorder;
  readonly user: TestUser;
}

/**
 * Registers the lifecycle every browser test file shares (call it at the top of its `describe`): one
 * Chromium per file, and per test a new server, browser context (with `contextOptions`), page, request
 * recorder and user, all closed after the test, also when it fails. Returns the current session.
 */
export function usePageSession(contextOptions: BrowserContextOptions): () => PageSession {
  let browser: Browser;
  let context: BrowserContext | undefined;
  let session: PageSession | undefined;
  beforeAll(async () => {
    await requireWebBuild();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });
  beforeEach(async () => {
    const server = await startTestServer();
    context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    session = { server, page, recorder: new PageRecorder(page), user: await newUser() };
  });
  afterEach(async () => {
    await context?.close();
    await session?.server.close();
    context = undefined;
    session = undefined;
  });
  return () => {
    if (session === undefined) throw new Error('usePageSession: no test is running');
    return session;
  };
}

/** Answers "new account or typo?" with "It is a new account" (an unlock of an ID with nothing stored). */
export async function confirmNewAccount(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'It is a new account' }).click();
}
