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
    const clipped = (): Promise<(string | null)[]> =>
      page
        .locator('#entry-list .entry-name')
        .evaluateAll((names) =>
          names.filter((name) => name.scrollWidth > name.clientWidth).map((name) => name.textContent),
        );
    expect(await clipped()).toEqual([]);
    // At 100 % too: "ACME: alice@example.com" wraps instead of ending in "alice@example.c…".
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await clipped()).toEqual([]);
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

  it('shows the PIN form first on a locked phone, its Unlock button on screen without scrolling', async () => {
    await seed(server, user, ENTRIES);
    await page.goto(`${server.origin}/`);
    await page.getByLabel('Remember my Open2FA ID and keep an offline copy').check();
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').nth(1).waitFor();
    await page.getByLabel('New PIN or passphrase (at least 6 characters)').fill('correct horse');
    await page.getByRole('button', { name: 'Save this PIN' }).click();
    await expect.poll(() => noticeText(page)).toContain('now unlocks with your PIN');
    await page.reload();
    const button = page.getByRole('button', { name: 'Unlock', exact: true });
    await button.waitFor();
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    const unlockBox = await button.boundingBox();
    const secretBox = await page.getByLabel('Open2FA Secret', { exact: true }).boundingBox();
    expect(unlockBox).not.toBeNull();
    expect((unlockBox?.y ?? 0) + (unlockBox?.height ?? 0)).toBeLessThanOrEqual(844);
    expect(unlockBox?.y ?? 0).toBeLessThan(secretBox?.y ?? 0);
  });

  it('shows a newcomer "Create an account" on the first screen, and "Forget this device" only once remembered', async () => {
    await seed(server, user, ENTRIES);
    await page.goto(`${server.origin}/`);
    const create = await page.getByRole('button', { name: 'Create an account' }).boundingBox();
    expect((create?.y ?? Infinity) + (create?.height ?? 0)).toBeLessThanOrEqual(844);
    const forget = page.getByRole('button', { name: 'Forget this device' });
    expect(await forget.count()).toBe(0);
    await page.getByLabel('Remember my Open2FA ID and keep an offline copy').check();
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').nth(1).waitFor();
    expect(await forget.count()).toBe(1);
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.reload();
    expect(await forget.count()).toBe(1);
    await forget.click();
    expect(await forget.count()).toBe(0);
  });
});
