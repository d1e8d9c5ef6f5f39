import { readFile } from 'node:fs/promises';
import type { CDPSession, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { encodeBase64Url, encodeHex } from '../../src/core/encoding.js';
import { deriveV1Credentials } from '../../src/core/index.js';
import { decryptBackup } from '../../src/core/formats/encrypted-backup.js';
import { browserSkipReason } from '../helpers/browser.js';
import type { TestServer } from '../helpers/test-server.js';
import { noticeText, type PageRecorder, readRows, seed, type TestUser, unlock, usePageSession } from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';
import { storedEverywhere } from './browser-storage.js';

const skip = browserSkipReason();
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ENTRIES = [
  { secret: 'JBSWY3DPEHPK3PXP', name: 'GitHub' },
  { secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', name: 'aws root' },
];

describe.skipIf(skip !== null)('the page as the authenticator on a phone (390×844, Chromium)', () => {
  let server: TestServer;
  let page: Page;
  let recorder: PageRecorder;
  let user: TestUser;

  const session = usePageSession({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  beforeEach(() => {
    ({ server, page, recorder, user } = session());
  });

  /** The Secret, the UUID and the Secret's key bytes in every encoding the page could have written. */
  const secretForms = (target: TestUser): string[] => [
    target.secret,
    target.uuid,
    target.uuid.replaceAll('-', ''),
    encodeHex(target.key),
    encodeBase64Url(target.key),
    Buffer.from(target.key).toString('base64'),
  ];

  it('lets a browser-only newcomer create an account (recovery kit first) and add a code', async () => {
    await page.goto(`${server.origin}/`);
    await page.getByRole('button', { name: 'Create an account' }).click();
    // The recovery kit is a lazy chunk: wait until it has drawn the UUID.
    await page.waitForFunction(() => (document.querySelector('#kit-uuid')?.textContent ?? '') !== '');
    const uuid = (await page.locator('#kit-uuid').textContent()) ?? '';
    expect(uuid).toMatch(UUID_PATTERN);
    expect(await page.locator('#unlock-section').isHidden()).toBe(true);
    expect(await page.locator('#kit-section').textContent()).toContain('the only key to your codes');
    await page.locator('#kit-qr svg').waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the kit' }).click();
    const kitFile = await readFile(await (await download).path(), 'utf8');
    expect(kitFile).toContain(`UUID: ${uuid}`);
    expect(await page.getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true);
    await page.getByLabel('I have saved it').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => noticeText(page)).toBe('Your account is ready. Add a first entry below.');
    expect(await page.locator('#kit-uuid').textContent()).toBe('');

    await page.getByLabel('Secret or otpauth:// link').fill('KRSXG5CTMVRXEZLU');
    await page.getByLabel('Name (optional)').fill('Mail');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect.poll(() => noticeText(page)).toBe('Added “Mail”.');
    const { id, secret, key } = await deriveV1Credentials(uuid);
    const live = await new V2TestClient(server, { uuid, id, secret, key }).live();
    expect(live.map(({ entry }) => [entry?.name, entry?.secret])).toEqual([['Mail', 'KRSXG5CTMVRXEZLU']]);
    await recorder.assertClean(server.origin, [uuid, secret, 'KRSXG5CTMVRXEZLU']);
  });

  it('opens the codes from a pairing link with nothing typed and leaves no fragment behind', async () => {
    await seed(server, user, ENTRIES);
    await page.goto(`${server.origin}/#pair=${user.uuid}`);
    await page.locator('#entry-list > li').nth(1).waitFor();
    expect(page.url()).toBe(`${server.origin}/`);
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect((await readRows(page)).map((row) => row.name)).toEqual(['aws root', 'GitHub']);

    // The page shows the ID-and-Secret form of the link as a QR code, for another device.
    await page.getByRole('button', { name: 'Pair another device' }).click();
    // The dialog fills in once its lazy QR chunk has loaded: wait for the code before reading the text.
    await page.locator('#qr-code svg').waitFor();
    const link = (await page.locator('#qr-text').textContent()) ?? '';
    expect(link).toBe(`${server.origin}/#pair-id=${user.id}&pair-secret=${user.secret}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#qr-text').textContent()).toBe('');

    const other = await page.context().newPage();
    await other.goto(link);
    await other.locator('#entry-list > li').nth(1).waitFor();
    expect(other.url()).toBe(`${server.origin}/`);
    // No history entry holds the fragment: about:blank and the page, the link's entry replaced in place.
    expect(await other.evaluate(() => history.length)).toBe(2);
    await other.close();
    await recorder.assertClean(server.origin, [user.uuid, user.secret]);
  });

  it('locks with a PIN (nothing stored reveals the Secret or UUID), and works offline after a reload', async () => {
    await seed(server, user, ENTRIES);
    await page.goto(`${server.origin}/`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.getByLabel('Remember my Open2FA ID and keep an offline copy').check();
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').nth(1).waitFor();
    await page.getByLabel('New PIN or passphrase (at least 6 characters)').fill('correct horse');
    await page.getByRole('button', { name: 'Save this PIN' }).click();
    await expect.poll(() => noticeText(page)).toContain('now unlocks with your PIN');

    const stored = await storedEverywhere(page);
    expect(stored).toContain('"cryptoKey":false');
    // The dump covers the trash store (what the page showed and recently deleted; here v1 entries only).
    expect(stored).toMatch(
      /"name":"trash","keys":\["[0-9a-f]{64}"\],"values":\[\{"version":1,"shown":\[\],"trash":\[\]/,
    );
    for (const form of secretForms(user)) expect(stored.includes(form), `storage holds ${form}`).toBe(false);
    expect(stored.includes('JBSWY3DPEHPK3PXP')).toBe(false);

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    // The server stops; the service worker serves the page and IndexedDB the ciphertexts.
    await server.app.close();
    const reloaded = await page.reload();
    expect(reloaded?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByLabel('PIN or passphrase', { exact: true }).fill('wrong pin!');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect.poll(() => noticeText(page)).toContain('did not unlock this device');
    await page.getByLabel('PIN or passphrase', { exact: true }).fill('correct horse');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.locator('#entry-list > li').nth(1).waitFor();
    expect(await page.locator('#offline-notice').textContent()).toMatch(/^Offline, last synced at /);
    await page.getByLabel('Secret or otpauth:// link').fill('KRSXG5CTMVRXEZLU');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect.poll(() => noticeText(page)).toContain('changes are refused until the server can be reached');
    // Rename and delete are refused the same way, with the same notice: nothing is queued.
    for (const [action, confirm] of [
      ['Rename aws root', 'Save'],
      ['Delete aws root', 'Delete for good'],
    ] as const) {
      await page.evaluate(() => document.getElementById('notice')?.setAttribute('hidden', ''));
      const card = page.locator('#entry-list > li').first();
      await card.getByRole('button', { name: action, exact: true }).click();
      if (confirm === 'Save') await card.getByRole('textbox').fill('aws root (renamed)');
      await card.getByRole('button', { name: confirm, exact: true }).click();
      await expect.poll(() => page.locator('#notice').isVisible()).toBe(true);
      expect(await noticeText(page)).toContain('changes are refused until the server can be reached');
    }
    expect((await readRows(page)).map((row) => row.name)).toEqual(['aws root', 'GitHub']);
  });

  it('unlocks with a passkey through the WebAuthn PRF extension (virtual authenticator)', async () => {
    await seed(server, user, ENTRIES);
    const cdp: CDPSession = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
        hasPrf: true,
      },
    });
    // WebAuthn takes a domain as its relying party, never an IP address: use localhost.
    const origin = server.origin.replace('127.0.0.1', 'localhost');
    await page.goto(`${origin}/`);
    await page.getByLabel('Remember my Open2FA ID and keep an offline copy').check();
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').nth(1).waitFor();
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await expect.poll(() => noticeText(page)).toContain('now unlocks with your passkey');
    const stored = await storedEverywhere(page);
    for (const form of secretForms(user)) expect(stored.includes(form), `storage holds ${form}`).toBe(false);

    await page.reload();
    await page.getByRole('button', { name: 'Unlock with a passkey' }).click();
    await page.locator('#entry-list > li').nth(1).waitFor();
    await recorder.assertClean(origin, [user.uuid, user.secret]);
  });

  it('exports an encrypted backup the core opens, and an otpauth list, each after a confirmation', async () => {
    await seed(server, user, ENTRIES);
    await page.goto(`${server.origin}/`);
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').nth(1).waitFor();
    await page.getByLabel('Backup password').fill('a long backup password');
    await page.getByRole('button', { name: 'Download a backup' }).click();
    await expect
      .poll(() => page.locator('#export-confirm-text').textContent())
      .toContain('encrypted backup of 2 entries');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    const file = JSON.parse(await readFile(await (await download).path(), 'utf8')) as Record<string, unknown>;
    const opened = await decryptBackup(file, 'a long backup password');
    expect(opened.ok && opened.items.map((item) => (item.ok ? [item.entry.name, item.entry.secret] : null))).toEqual(
      [
        ['GitHub', 'JBSWY3DPEHPK3PXP'],
        ['aws root', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]), 'en', { sensitivity: 'base' })),
    );

    await page.getByRole('button', { name: 'Download an otpauth list' }).click();
    await expect.poll(() => page.locator('#export-confirm-text').textContent()).toContain('NOT encrypted');
    const list = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    const lines = (await readFile(await (await list).path(), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^otpauth:\/\/totp\//);
    await recorder.assertClean(server.origin, [user.uuid, user.secret, ...ENTRIES.map((entry) => entry.secret)]);
  });

  it('hides codes until tapped, keeps the toast off every button, and clears a stale Secret notice', async () => {
    await seed(server, user, ENTRIES);
    await page.goto(`${server.origin}/`);
    await unlock(page, user.id, 'not-a-secret');
    await expect.poll(() => noticeText(page)).toContain('The Open2FA Secret is not valid');
    await page.getByLabel('Open2FA ID', { exact: true }).fill(user.uuid);
    await expect.poll(() => page.locator('#notice').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Show codes' }).click();
    await page.locator('#entry-list > li').nth(1).waitFor();

    await page.getByLabel('Hide codes until tapped').check();
    const codes = page.locator('#entry-list .code');
    await expect.poll(() => codes.first().textContent()).toBe('••• •••');
    await codes.first().click();
    await expect.poll(() => codes.first().textContent()).toMatch(/^\d{3} \d{3}$/);
    expect(await codes.nth(1).textContent()).toBe('••• •••');

    const overlaps = await page.evaluate(() => {
      const toast = document.getElementById('toast')?.getBoundingClientRect();
      if (toast === undefined) return ['no toast'];
      return [...document.querySelectorAll('button')]
        .filter((button) => button.offsetParent !== null)
        .filter((button) => {
          const box = button.getBoundingClientRect();
          return box.left < toast.right && toast.left < box.right && box.top < toast.bottom && toast.top < box.bottom;
        })
        .map((button) => button.textContent);
    });
    expect(overlaps).toEqual([]);
  });
});
