import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qrMatrix } from '../../src/core/qr-matrix.js';
import { browserSkipReason, CHROMIUM_PATH, requireWebBuild } from '../helpers/browser.js';
import { startTestServer } from '../helpers/test-server.js';
import { newUser, noticeText, PageRecorder, unlock } from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';

const skip = browserSkipReason();
const LINK = 'otpauth://totp/ACME:camera?secret=KRSXG5CTMVRXEZLU&issuer=ACME';
const SIDE = 320;

/**
 * A Y4M video (YUV 4:2:0, the format Chromium's fake camera reads) showing `text` as a QR code: dark
 * modules black, everything else white, grey chroma. Made here from the core's QR encoder.
 */
function qrVideo(text: string, frames = 5): Buffer {
  const qr = qrMatrix(text);
  const modules = qr.size + 8;
  const cell = Math.floor(SIDE / modules);
  const offset = Math.floor((SIDE - cell * modules) / 2) + 4 * cell;
  const luma = Buffer.alloc(SIDE * SIDE, 235);
  for (let row = 0; row < qr.size; row++)
    for (let column = 0; column < qr.size; column++) {
      if (!qr.isDark(row, column)) continue;
      for (let y = 0; y < cell; y++)
        luma.fill(
          16,
          (offset + row * cell + y) * SIDE + offset + column * cell,
          (offset + row * cell + y) * SIDE + offset + (column + 1) * cell,
        );
    }
  const chroma = Buffer.alloc((SIDE / 2) * (SIDE / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${SIDE} H${SIDE} F10:1 Ip A1:1 C420jpeg\n`),
    ...Array.from({ length: frames }, () => frame),
  ]);
}

describe.skipIf(skip !== null)('scanning with the camera (Chromium fake video stream)', () => {
  let browser: Browser;
  let directory: string;

  beforeAll(async () => {
    await requireWebBuild();
    directory = await mkdtemp(join(tmpdir(), 'open2fa-camera-'));
    const video = join(directory, 'qr.y4m');
    await writeFile(video, qrVideo(LINK));
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
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
});
