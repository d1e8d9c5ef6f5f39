import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deriveV1Credentials, makeEntry } from '../../src/core/index.js';
import { browserSkipReason, launchBrowser, requireWebBuild } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { fakeCameraArgs, qrVideo } from './fake-camera.js';
import { confirmNewAccount, noticeText, seed, showImportPreview, type TestUser, unlock } from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';

// `UPDATE_SCREENSHOTS=1 npx vitest run test/web/web-screenshots.test.ts` rewrites docs/phone-*.png, one
// per flow of docs/web.md, at 390×844 (web-ui.test.ts writes the desktop and mobile overview the same way).
// Deterministic: a fixed clock (the codes, the countdowns and "last synced at" are the same every run),
// the server's Date header agreeing with it (no clock-skew notice), a seeded getRandomValues in the page
// (the recovery kit's UUID, item ids), well-known test secrets and the open2fa v1 vector's UUID.
const enabled = process.env.UPDATE_SCREENSHOTS === '1';
const skip = enabled ? browserSkipReason() : 'UPDATE_SCREENSHOTS is not 1';
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
/** 09:00:10 UTC: every 30 s code shows 20 s left. */
const FIXED_TIME = Date.UTC(2030, 0, 1, 9, 0, 10);
/** test/vectors/open2fa-v1.json, first case. */
const VECTOR_UUID = '692a3e6b-4bd4-400b-aa2b-8261695b5ffb';
/** A QR code the add scanner does not take (not a secret, not an otpauth link): the dialog stays open. */
const CAMERA_TEXT = 'https://example.org/point-the-camera-at-a-2fa-qr-code';
/** One port for every test (one after the other), so the pairing link and its QR code are the same each run. */
const PORT = Number(process.env.SCREENSHOT_PORT ?? 47390);
/** Each PNG stays small: a phone viewport, never a whole scrolled page. */
const MAX_PNG_BYTES = 120 * 1024;

describe.skipIf(skip !== null)('docs/phone-*.png (390×844, Chromium)', () => {
  let browser: Browser;
  let directory: string;
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let user: TestUser;

  beforeAll(async () => {
    await requireWebBuild();
    directory = await mkdtemp(join(tmpdir(), 'open2fa-shots-'));
    const video = join(directory, 'qr.y4m');
    await writeFile(video, qrVideo(CAMERA_TEXT));
    browser = await launchBrowser(fakeCameraArgs(video));
  });
  afterAll(async () => {
    await browser.close();
    await rm(directory, { recursive: true, force: true });
  });
  beforeEach(async () => {
    server = await startTestServer({}, PORT);
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      colorScheme: 'light',
      locale: 'en-US',
      timezoneId: 'UTC',
      permissions: ['camera'],
    });
    await context.addInitScript(seededRandom);
    await context.route('**/api/**', async (route) => {
      try {
        const response = await route.fetch();
        const date = new Date(FIXED_TIME).toUTCString();
        await route.fulfill({ response, headers: { ...response.headers(), date } });
      } catch {
        await route.abort('connectionrefused');
      }
    });
    page = await context.newPage();
    await page.clock.setFixedTime(FIXED_TIME);
    const { id, secret, key } = await deriveV1Credentials(VECTOR_UUID);
    user = { uuid: VECTOR_UUID, id, secret, key };
  });
  afterEach(async () => {
    await context.close();
    await server.close();
  });

  /** The well-known example secret (v1, as a 1.x client stored it) and RFC 6238's, plus a v2 HOTP entry. */
  async function seedEntries(): Promise<void> {
    await seed(server, user, [{ secret: 'JBSWY3DPEHPK3PXP', name: 'GitHub' }]);
    await new V2TestClient(server, user).seed([
      makeEntry('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'ACME: alice@example.com'),
      makeEntry('KRSXG5CTMVRXEZLU', 'Mail', { type: 'hotp', counter: 3 }),
    ]);
  }

  async function unlockSeeded(): Promise<void> {
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').nth(2).waitFor();
  }

  /** Scrolls `target` to the top (or `block`) of the viewport, or stays at the top, then writes docs/`file`. */
  async function shoot(file: string, target?: Locator, block: ScrollLogicalPosition = 'start'): Promise<void> {
    await page.evaluate(() => {
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    });
    if (target !== undefined)
      await target.evaluate((element, at) => {
        element.scrollIntoView({ block: at });
      }, block);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${DOCS}${file}`, animations: 'disabled' });
    expect((await stat(`${DOCS}${file}`)).size).toBeLessThan(MAX_PNG_BYTES);
  }

  it('phone-new-account.png: the recovery kit before anything else', async () => {
    await page.goto(`${server.origin}/`);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.locator('#kit-qr svg').waitFor();
    await page.getByLabel('I have saved it').check();
    await shoot('phone-new-account.png', page.locator('#kit-section'));
  });

  it('phone-new-or-typo.png: a first unlock of an ID with nothing stored', async () => {
    await page.goto(`${server.origin}/`);
    await page.getByLabel('Open2FA ID', { exact: true }).fill(user.uuid);
    await page.getByRole('button', { name: 'Show codes' }).click();
    await page.locator('#empty-check').waitFor();
    await shoot('phone-new-or-typo.png', page.locator('#empty-check'), 'end');
    await confirmNewAccount(page);
  });

  it('phone-pair-dialog.png and phone-pair-link.png: showing and opening a pairing link', async () => {
    await seedEntries();
    await page.goto(`${server.origin}/`);
    await unlockSeeded();
    await page.getByRole('button', { name: 'Pair another device' }).click();
    await page.locator('#qr-code svg').waitFor();
    await shoot('phone-pair-dialog.png');
    const link = (await page.locator('#qr-text').textContent()) ?? '';
    await page.keyboard.press('Escape');
    const other = await context.newPage();
    await other.clock.setFixedTime(FIXED_TIME);
    await other.goto(link);
    await other.locator('#entry-list > li').nth(2).waitFor();
    expect(other.url()).toBe(`${server.origin}/`);
    page = other;
    await shoot('phone-pair-link.png');
  });

  it('phone-pin-lock.png, phone-pin-unlock.png and phone-offline.png: a PIN, then offline', async () => {
    await seedEntries();
    await page.goto(`${server.origin}/`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.getByLabel('Remember my Open2FA ID and keep an offline copy').check();
    await unlockSeeded();
    await page.getByLabel('New PIN or passphrase (at least 6 characters)').fill('correct horse');
    await page.getByRole('button', { name: 'Save this PIN' }).click();
    await expect.poll(() => noticeText(page)).toContain('now unlocks with your PIN');
    await shoot('phone-pin-lock.png', page.locator('#device-section'));
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await server.app.close();
    await page.reload();
    await page.getByLabel('PIN or passphrase', { exact: true }).fill('correct horse');
    await shoot('phone-pin-unlock.png');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.locator('#entry-list > li').nth(2).waitFor();
    await page.getByLabel('Secret or otpauth:// link').fill('NBSWY3DPEB3W64TMMQQQ');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect.poll(() => noticeText(page)).toContain('changes are refused');
    await shoot('phone-offline.png');
  });

  it('phone-camera.png: the camera dialog (Chromium’s fake camera showing a QR code)', async () => {
    await seedEntries();
    await page.goto(`${server.origin}/`);
    await unlockSeeded();
    await page.locator('#add-section').evaluate((element) => {
      element.scrollIntoView({ block: 'start' });
    });
    await page.getByRole('button', { name: 'Scan with the camera' }).click();
    await page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('#camera-video');
      return video !== null && video.videoWidth > 0 && video.currentTime > 0;
    });
    await shoot('phone-camera.png');
  });

  it('phone-export.png: the confirmation before an encrypted backup', async () => {
    await seedEntries();
    await page.goto(`${server.origin}/`);
    await unlockSeeded();
    await page.getByLabel('Backup password').fill('a long backup password');
    await page.getByRole('button', { name: 'Download a backup' }).click();
    await page.locator('#export-confirm').waitFor();
    await shoot('phone-export.png', page.locator('#export-section'));
  });

  it('phone-hidden-codes.png: codes hidden until tapped, one tapped', async () => {
    await seedEntries();
    await page.goto(`${server.origin}/`);
    await unlockSeeded();
    await page.getByLabel('Hide codes until tapped').check();
    const codes = page.locator('#entry-list .code');
    await expect.poll(() => codes.first().textContent()).toBe('••• •••');
    await codes.nth(1).click();
    await expect.poll(() => codes.nth(1).textContent()).toMatch(/^\d{3} \d{3}$/);
    await shoot('phone-hidden-codes.png', page.locator('#entries-section'));
  });

  it('phone-import.png: an import preview (made in the page, nothing sent)', async () => {
    await seedEntries();
    await page.goto(`${server.origin}/`);
    await unlockSeeded();
    await showImportPreview(page);
    await shoot('phone-import.png', page.locator('#import-preview'), 'end');
  });
});

/**
 * Runs in the page before its scripts: `crypto.getRandomValues` from a fixed xorshift32 seed, so the
 * recovery kit's UUID and every random id are the same on each run. Screenshots only: never random.
 */
function seededRandom(): void {
  let state = 0x6f326661;
  Crypto.prototype.getRandomValues = function getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    if (array === null) return array;
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let index = 0; index < bytes.length; index++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      bytes[index] = state & 0xff;
    }
    return array;
  };
}
