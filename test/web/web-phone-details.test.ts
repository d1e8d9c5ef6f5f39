import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { browserSkipReason } from '../helpers/browser.js';
import type { TestServer } from '../helpers/test-server.js';
import { noticeText, seed, type TestUser, unlock, usePageSession } from './ui-helpers.js';

const skip = browserSkipReason();
const ENTRIES = [
  { secret: 'JBSWY3DPEHPK3PXP', name: 'GitHub' },
  { secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', name: 'ACME: alice@example.com' },
];

/** Phone details a newcomer trips over, each found by trying the page at 390×844 and at 200 % zoom. */
describe.skipIf(skip !== null)('phone details (Chromium)', () => {
  let server: TestServer;
  let page: Page;
  let user: TestUser;

  const session = usePageSession({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  beforeEach(() => {
    ({ server, page, user } = session());
  });

  it('has no horizontal scroll at 200 % zoom (195 CSS pixels wide), and every card shows its whole name', async () => {
    await seed(server, user, ENTRIES);
    await page.setViewportSize({ width: 195, height: 422 });
    await page.goto(`${server.origin}/`);
    const overflow = (): Promise<number> =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').nth(1).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    // A name cut to "Gi…" beside the countdown would leave the person guessing whose code it is.
    const clipped = await page
      .locator('#entry-list .entry-name')
      .evaluateAll((names) =>
        names.filter((name) => name.scrollWidth > name.clientWidth).map((name) => name.textContent),
      );
    expect(clipped).toEqual([]);
  });

  it('clears "password too short" once a valid backup password asks for the confirmation', async () => {
    await seed(server, user, ENTRIES);
    await page.goto(`${server.origin}/`);
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').nth(1).waitFor();
    await page.getByLabel('Backup password').fill('short');
    await page.getByRole('button', { name: 'Download a backup' }).click();
    await expect.poll(() => noticeText(page)).toBe('Choose a backup password of at least 8 characters.');
    await page.getByLabel('Backup password').fill('a long backup password');
    await page.getByRole('button', { name: 'Download a backup' }).click();
    await page.locator('#export-confirm').waitFor();
    expect(await page.locator('#notice').isHidden()).toBe(true);
  });
});
