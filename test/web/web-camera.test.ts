import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser, requireWebBuild } from '../helpers/browser.js';
import { startTestServer } from '../helpers/test-server.js';
import { fakeCameraArgs, qrVideo } from './fake-camera.js';
import { newUser, noticeText, PageRecorder, readRows, seed, unlock } from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';

const skip = browserSkipReason();
const LINK = 'otpauth://totp/ACME:camera?secret=KRSXG5CTMVRXEZLU&issuer=ACME';

describe.skipIf(skip !== null)('scanning with the camera (Chromium fake video stream)', () => {
  let browser: Browser;
  let directory: string;
  /** Chromium reads the file when a capture starts: each test writes what its camera shows first. */
  let video: string;

  beforeAll(async () => {
    await requireWebBuild();
    directory = await mkdtemp(join(tmpdir(), 'open2fa-camera-'));
    video = join(directory, 'qr.y4m');
    await writeFile(video, qrVideo(LINK));
    browser = await launchBrowser(fakeCameraArgs(video));
  });
  afterAll(async () => {
    await browser.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('adds an entry from a QR code shown to the camera', async () => {
    const server = await startTestServer();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, permissions: ['camera'] });
    try {
      const page = await context.newPage();
      const recorder = new PageRecorder(page);
      const user = await newUser();
      await writeFile(video, qrVideo(LINK));
      await page.goto(`${server.origin}/`);
      await unlock(page, user.id, user.secret);
      await page.getByRole('button', { name: 'It is a new account' }).click();
      await page.getByRole('button', { name: 'Scan with the camera' }).click();
      await expect
        .poll(() => page.getByLabel('Secret or otpauth:// link').inputValue(), { timeout: 10_000 })
        .toBe(LINK);
      expect(await page.locator('#camera-dialog').getAttribute('open')).toBeNull();
      expect(await page.getByLabel('Name (optional)').inputValue()).toBe('ACME: camera');
      await page.getByRole('button', { name: 'Add entry' }).click();
      await expect.poll(() => noticeText(page)).toBe('Added “ACME: camera”.');
      const live = await new V2TestClient(server, user).live();
      expect(live.map(({ entry }) => entry?.secret)).toEqual(['KRSXG5CTMVRXEZLU']);
      await recorder.assertClean(server.origin, [user.uuid, user.secret, 'KRSXG5CTMVRXEZLU']);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('opens the codes from a pairing QR code shown to the camera, with nothing typed', async () => {
    const server = await startTestServer();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, permissions: ['camera'] });
    try {
      const page = await context.newPage();
      const recorder = new PageRecorder(page);
      const user = await newUser();
      await seed(server, user, [{ secret: 'JBSWY3DPEHPK3PXP', name: 'GitHub' }]);
      await writeFile(video, qrVideo(`${server.origin}/#pair=${user.uuid}`));
      await page.goto(`${server.origin}/`);
      await page.getByRole('button', { name: 'Scan a pairing QR' }).click();
      await page.locator('#entry-list > li').first().waitFor({ timeout: 10_000 });
      expect((await readRows(page)).map((row) => row.name)).toEqual(['GitHub']);
      expect(await page.locator('#camera-dialog').getAttribute('open')).toBeNull();
      expect(page.url()).toBe(`${server.origin}/`);
      await recorder.assertClean(server.origin, [user.uuid, user.secret, 'JBSWY3DPEHPK3PXP']);
    } finally {
      await context.close();
      await server.close();
    }
  });
});
