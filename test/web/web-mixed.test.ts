import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { browserSkipReason } from '../helpers/browser.js';
import { Open2fa1x } from '../helpers/open2fa-1x.js';
import type { TestServer } from '../helpers/test-server.js';
import { freshDir, runOpen2fa, type CliRun } from '../cli/cli-harness.js';
import { noticeText, readRows, storedEntries, unlock, type TestUser, usePageSession } from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';

// Issue #16: one account used by the 1.x client (test/helpers/open2fa-1x.ts), this CLI with default
// settings (which writes v1 copies while v1 entries exist) and the page: each secret is one card.

const skip = browserSkipReason();

function ok(run: CliRun): CliRun {
  expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return run;
}

describe.skipIf(skip !== null)('a mixed account in Chromium', () => {
  let server: TestServer;
  let page: Page;
  let user: TestUser;
  let v2: V2TestClient;

  const session = usePageSession({});
  beforeEach(() => {
    ({ server, page, user } = session());
    v2 = new V2TestClient(server, user);
  });

  const badges = (name: string): Promise<string[]> =>
    page.locator('#entry-list > li').filter({ hasText: name }).locator('.badge').allTextContents();

  it('shows a secret stored as v1 and v2 once, with both badges; rename and delete reach both copies', async () => {
    const { recorder } = session();
    const v1Url = `${server.origin}/api/v1`;
    const old = await Open2fa1x.open(await freshDir(), v1Url, user.uuid);
    await old.add('JBSWY3DPEHPK3PXP', 'GitHub');
    await old.add('I65VU7K5ZQL7WB4E', 'Mail');
    await old.push();

    const env = { OPEN2FA_DIR: await freshDir(), OPEN2FA_API_URL: server.origin, OPEN2FA_UUID: user.uuid };
    const cli = (...argv: string[]): Promise<CliRun> => runOpen2fa(argv, { env });
    ok(await cli('add', 'gezd gnbv gy3t qojq', 'Bank'));
    ok(await cli('add', 'otpauth://hotp/Ops:me?secret=KRSXG5CTMVRXEZLU&counter=3'));
    ok(await cli('remote', 'pull'));
    ok(await cli('remote', 'push'));
    expect(await storedEntries(server, user)).toHaveLength(3);
    expect(await v2.live()).toHaveLength(4);

    await page.goto(`${server.origin}/`);
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').nth(3).waitFor();
    expect((await readRows(page)).map((row) => row.name)).toEqual(['Bank', 'GitHub', 'Mail', 'Ops:me']);
    expect(await badges('GitHub')).toEqual(['v1', 'v2']);
    expect(await badges('Bank')).toEqual(['v1', 'v2']);
    expect(await badges('Ops:me')).toEqual([]);

    await page.getByRole('button', { name: 'Rename GitHub' }).click();
    await page.getByLabel('New name').fill('GitHub work');
    await page.getByLabel('New name').press('Enter');
    await expect.poll(() => noticeText(page)).toBe('Renamed to “GitHub work”.');
    await page.getByRole('button', { name: 'Delete Mail' }).click();
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => noticeText(page)).toBe('Deleted “Mail”.');
    expect((await readRows(page)).map((row) => row.name)).toEqual(['Bank', 'GitHub work', 'Ops:me']);
    expect(await badges('GitHub work')).toEqual(['v1', 'v2']);

    const v1Names = (await storedEntries(server, user))?.map((entry) => entry.name).sort();
    expect(v1Names).toEqual(['Bank', 'GitHub work']);
    const v2Names = (await v2.live()).map((item) => item.entry?.name).sort();
    expect(v2Names).toEqual(['Bank', 'GitHub work', 'Ops:me']);

    // The 1.x client still runs on the account, and the CLI sees the rename.
    const again = await Open2fa1x.open(await freshDir(), v1Url, user.uuid);
    expect((await again.pull()).map((entry) => entry.name).sort()).toEqual(['Bank', 'GitHub work']);
    await recorder.assertClean(server.origin, [user.uuid, user.secret, 'JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQ']);
  });
});
