import { describe, expect, it } from 'vitest';
import { browserSkipReason } from '../helpers/browser.js';
import { readRows, seed, unlock, usePageSession } from './ui-helpers.js';

const skip = browserSkipReason();

// Version 2 of the page's IndexedDB database adds the trash store. A tab of an older build that holds
// version 1 open blocks the upgrade: the new page must go on (without its IndexedDB) instead of hanging.
describe.skipIf(skip !== null)('the IndexedDB upgrade while an older tab holds the database (Chromium)', () => {
  const current = usePageSession({ viewport: { width: 1000, height: 800 } });

  it('unlocks and shows the codes on a remembered device', async () => {
    const { page, server, user } = current();
    await seed(server, user, [{ secret: 'JBSWY3DPEHPK3PXP', name: 'GitHub' }]);
    const old = await page.context().newPage();
    await old.goto(`${server.origin}/`);
    // What a page of the older build leaves open: version 1, and no `versionchange` handler.
    await old.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open('open2fa', 1);
          request.onupgradeneeded = () => {
            request.result.createObjectStore('copy');
            request.result.createObjectStore('lock');
          };
          request.onsuccess = () => {
            Object.assign(globalThis, { heldOpen: request.result });
            resolve();
          };
          request.onerror = () => {
            reject(new Error('open'));
          };
        }),
    );
    await page.goto(`${server.origin}/`);
    await page.getByLabel('Remember my Open2FA ID and keep an offline copy').check();
    await unlock(page, user.id, user.secret);
    await expect
      .poll(async () => (await readRows(page)).map((row) => row.name), { timeout: 5_000 })
      .toEqual(['GitHub']);
  });
});
