import { describe, expect, it } from 'vitest';
import { browserSkipReason } from '../helpers/browser.js';
import { noticeText, readRows, seed, unlock, usePageSession } from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';

const skip = browserSkipReason();

// The page's writes load as a lazy chunk (src/web/actions/write-actions.ts) after the codes show. A
// chunk that cannot be fetched (no service worker yet, a deploy in between, the network gone) must not
// turn a press of "Add entry" into nothing at all: the page says so, and nothing is changed.
describe.skipIf(skip !== null)('the page when its write chunk cannot be fetched (Chromium)', () => {
  const session = usePageSession({ serviceWorkers: 'block' });

  it('says that nothing was changed, and changes nothing', async () => {
    const { server, page, user } = session();
    await seed(server, user, [{ secret: 'JBSWY3DPEHPK3PXP', name: 'GitHub' }]);
    let blocked = 0;
    await page.route('**/assets/write-actions-*.js', (route) => {
      blocked++;
      return route.abort('connectionrefused');
    });
    await page.goto(`${server.origin}/`);
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').first().waitFor();

    await page.getByLabel('Secret or otpauth:// link').fill('KRSXG5CTMVRXEZLU');
    await page.getByLabel('Name (optional)').fill('Mail');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect
      .poll(() => noticeText(page))
      .toBe('Nothing was changed: the page could not load the code that saves changes. Reload and try again.');
    expect(blocked).toBeGreaterThan(0);
    expect((await readRows(page)).map((row) => row.name)).toEqual(['GitHub']);
    expect(await new V2TestClient(server, user).live()).toEqual([]);
    // The page is not left busy: the next press tries again (and says the same).
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect.poll(() => noticeText(page)).toContain('Nothing was changed');
  });
});
