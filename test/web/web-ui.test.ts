import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeEntry, totpCode } from '../../src/core/index.js';
import { browserSkipReason } from '../helpers/browser.js';
import type { TestServer } from '../helpers/test-server.js';
import {
  codesAround,
  confirmNewAccount,
  grouped,
  newUser,
  noticeText,
  type PageRecorder,
  readRows,
  seed,
  showImportPreview,
  storedEntries,
  unlock,
  type PlainEntry,
  type TestUser,
  usePageSession,
} from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';

// qrcode-generator types itself as `export =`: load it the CommonJS way to keep its types.
const qrcode = createRequire(import.meta.url)('qrcode-generator') as (
  typeNumber: 0,
  errorCorrection: 'M',
) => { addData(data: string): void; make(): void; createDataURL(cellSize: number, margin: number): string };
const skip = browserSkipReason();

const ENTRIES: readonly PlainEntry[] = [
  { secret: 'JBSWY3DPEHPK3PXP', name: 'GitHub' },
  { secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', name: 'aws root' },
  { secret: 'I65VU7K5ZQL7WB4E', name: null },
];

describe.skipIf(skip !== null)('the web UI in Chromium', () => {
  let server: TestServer;
  let page: Page;
  let recorder: PageRecorder;
  let user: TestUser;

  /** Values that must never appear in any request: the UUID, the Secret, every plaintext TOTP secret. */
  const forbidden = (...extra: string[]): string[] => [
    user.uuid,
    user.secret,
    ...ENTRIES.map((entry) => entry.secret),
    ...extra,
  ];

  const session = usePageSession({ permissions: ['clipboard-read', 'clipboard-write'], colorScheme: 'light' });
  beforeEach(() => {
    ({ server, page, recorder, user } = session());
  });

  async function open(): Promise<void> {
    await page.goto(`${server.origin}/`);
  }

  async function unlockAndWait(count: number): Promise<void> {
    await unlock(page, user.id, user.secret);
    await page
      .locator('#entry-list > li')
      .nth(count - 1)
      .waitFor();
  }

  it('shows sorted entries with the codes the test computes, and nothing secret leaves the page', async () => {
    await seed(server, user, ENTRIES);
    await open();
    await unlockAndWait(3);
    const now = Date.now();
    const rows = await readRows(page);
    expect(rows.map((row) => row.name)).toEqual(['aws root', 'GitHub', 'Unnamed']);
    const bySecret = [ENTRIES[1], ENTRIES[0], ENTRIES[2]];
    rows.forEach((row, index) => {
      expect(row.code).toMatch(/^\d{3} \d{3}$/);
      expect(codesAround(bySecret[index]?.secret ?? '', now)).toContain(row.code);
      expect(row.countdown).toMatch(/^([1-9]|[12]\d|30) s$/);
    });
    const api = recorder.apiRequests();
    // v1 first, then v2 (the first v2 request binds the token: docs/web.md explains the order).
    expect(api.map((request) => `${request.method()} ${new URL(request.url()).pathname}`)).toEqual([
      'GET /api/v1/totps',
      'GET /api/v2/items',
    ]);
    expect(await api[0]?.headerValue('x-user-hash')).toBe(user.id);
    // Protocol revision 2: v2 requests carry only the token, so the server cannot link v1 and v2 accounts.
    expect(await api[1]?.headerValue('x-user-hash')).toBeNull();
    expect(await api[1]?.headerValue('authorization')).toMatch(/^Bearer [\w-]{43}$/);
    await recorder.assertClean(server.origin, forbidden());
  });

  it('derives the ID and Secret in the page when the UUID is pasted into the ID field', async () => {
    await seed(server, user, ENTRIES);
    await open();
    await page.getByLabel('Open2FA ID', { exact: true }).fill(user.uuid);
    await expect.poll(() => page.getByLabel('Open2FA ID', { exact: true }).inputValue()).toBe(user.id);
    expect(await page.getByLabel('Open2FA Secret', { exact: true }).inputValue()).toBe(user.secret);
    expect(await page.getByLabel('Open2FA Secret', { exact: true }).getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    expect(await page.getByLabel('Open2FA Secret', { exact: true }).getAttribute('type')).toBe('text');
    expect(await page.getByRole('button', { name: 'Hide', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'Show codes' }).click();
    await page.locator('#entry-list > li').nth(2).waitFor();
    await recorder.assertClean(server.origin, forbidden());
  });

  it('changes codes exactly at the period boundary', async () => {
    await seed(server, user, ENTRIES);
    const boundary = Math.ceil(Date.UTC(2030, 0, 1) / 30_000) * 30_000;
    const start = boundary - 2_500;
    await page.clock.install({ time: start - 10_000 });
    await page.clock.pauseAt(start);
    // The server's Date header agrees with the page's (fake) clock, so no skew correction applies.
    await page.route('**/api/**', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), date: new Date(start).toUTCString() } });
    });
    await open();
    await unlockAndWait(3);
    const github = ENTRIES[0]?.secret ?? '';
    const codeOf = async (): Promise<string> => (await readRows(page)).find((row) => row.name === 'GitHub')?.code ?? '';
    expect(await codeOf()).toBe(grouped(totpCode({ secret: github }, start)));
    await page.clock.runFor(2_499);
    expect(await codeOf()).toBe(grouped(totpCode({ secret: github }, boundary - 1)));
    expect((await readRows(page))[0]?.countdown).toBe('1 s');
    await page.clock.runFor(1);
    expect(await codeOf()).toBe(grouped(totpCode({ secret: github }, boundary)));
    expect(await codeOf()).not.toBe(grouped(totpCode({ secret: github }, boundary - 1)));
    expect((await readRows(page))[0]?.countdown).toBe('30 s');
    expect(await page.locator('#clock-notice').isHidden()).toBe(true);
  });

  it('uses the server time and says so when the device clock is off by more than 2 s', async () => {
    await seed(server, user, ENTRIES);
    const skew = 5 * 60_000;
    // A paused page clock 100 ms past a whole second: the estimate is then exact, the Date header's
    // truncation (−100 ms) plus the half second the page adds for it: skew + 400 ms.
    const start = Math.ceil(Date.UTC(2030, 0, 1) / 30_000) * 30_000 + 10_100;
    await page.clock.install({ time: start - 10_000 });
    await page.clock.pauseAt(start);
    await page.route('**/api/**', async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), date: new Date(start + skew).toUTCString() },
      });
    });
    await open();
    await unlockAndWait(3);
    const notice = page.locator('#clock-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/clock is 5 min 0 s behind the server’s: codes use the server’s time/);
    const rows = await readRows(page);
    const github = ENTRIES[0]?.secret ?? '';
    expect(rows.find((row) => row.name === 'GitHub')?.code).toBe(
      grouped(totpCode({ secret: github }, start + skew + 400)),
    );
  });

  it('copies a code on click and on Enter, with an announced confirmation', async () => {
    await seed(server, user, ENTRIES);
    await open();
    await unlockAndWait(3);
    const toast = page.locator('#toast');
    expect(await toast.getAttribute('aria-live')).toBe('polite');
    await page.locator('#entry-list > li').filter({ hasText: 'GitHub' }).locator('.code').click();
    await expect.poll(() => toast.textContent()).toBe('Copied the code for GitHub.');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^\d{6}$/);
    expect(codesAround(ENTRIES[0]?.secret ?? '', Date.now())).toContain(grouped(copied));

    // Keyboard only: Tab from the search box to the first entry's code, then Enter.
    await page.getByLabel('Search').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('code');
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.keyboard.press('Enter');
    await expect.poll(() => toast.textContent()).toBe('Copied the code for aws root.');
    expect(codesAround(ENTRIES[1]?.secret ?? '', Date.now())).toContain(
      grouped(await page.evaluate(() => navigator.clipboard.readText())),
    );
    await recorder.assertClean(server.origin, forbidden());
  });

  it('filters entries as the search is typed', async () => {
    await seed(server, user, ENTRIES);
    await open();
    await unlockAndWait(3);
    const search = page.getByLabel('Search');
    await search.pressSequentially('GIT');
    expect((await readRows(page)).map((row) => row.name)).toEqual(['GitHub']);
    expect(await page.locator('#entries-count').textContent()).toBe('1 of 3 entries');
    await search.fill('nothing like it');
    expect(await readRows(page)).toEqual([]);
    expect(await page.locator('#entries-empty').textContent()).toBe('No entry matches “nothing like it”.');
    await search.fill('');
    expect(await readRows(page)).toHaveLength(3);
  });

  it('explains an invalid Secret before any request, a wrong Secret and an unknown ID', async () => {
    await seed(server, user, ENTRIES);
    await open();
    await unlock(page, user.id, 'not-a-secret');
    await expect.poll(() => noticeText(page)).toContain('The Open2FA Secret is not valid');
    expect(recorder.apiRequests()).toEqual([]);

    const other = await newUser();
    await unlock(page, user.id, other.secret);
    await expect.poll(() => noticeText(page)).toContain('The Open2FA Secret does not match this Open2FA ID');
    expect(await readRows(page)).toEqual([]);

    await unlock(page, other.id, other.secret);
    await expect.poll(() => noticeText(page)).toContain('Is this a new account, or a typo');
    expect(await page.locator('#entries-section').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'It is a typo: let me check' }).click();
    expect(await page.locator('#entries-section').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Show codes' }).click();
    await confirmNewAccount(page);
    await expect.poll(() => noticeText(page)).toContain('no entries stored for this Open2FA ID');
    await recorder.assertClean(server.origin, forbidden(other.uuid, other.secret));
  });

  it('explains an unreachable server and rate limiting', async () => {
    await seed(server, user, ENTRIES);
    await page.route('**/api/v1/totps', (route) => route.abort('connectionrefused'));
    await open();
    await unlock(page, user.id, user.secret);
    await expect
      .poll(() => noticeText(page))
      .toBe('Cannot reach the open2fa server. Check the connection and try again.');
    await page.unroute('**/api/v1/totps');
    await page.route('**/api/v1/totps', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'retry-after': '42' },
        contentType: 'application/json',
        body: '{"detail":"too many requests"}',
      }),
    );
    await page.getByRole('button', { name: 'Show codes' }).click();
    await expect
      .poll(() => noticeText(page))
      .toBe('Too many requests: the server asks to wait 42 s before trying again.');
    expect(await page.locator('#notice').getAttribute('class')).toContain('error');
  });

  it('remembers nothing by default, the ID on opt-in, migrates a Secret older pages kept, and forgets all', async () => {
    await seed(server, user, ENTRIES);
    const stored = (): Promise<string | null> => page.evaluate(() => localStorage.getItem('open2fa.remember'));
    await open();
    await unlockAndWait(3);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByLabel('Remember my Open2FA ID and keep an offline copy').check();
    await unlockAndWait(3);
    expect(JSON.parse((await stored()) ?? 'null')).toEqual({ id: user.id });
    await page.getByRole('button', { name: 'Lock' }).click();
    expect(await page.getByLabel('Open2FA ID', { exact: true }).inputValue()).toBe(user.id);

    // A page before the device lock kept the Secret in clear: it opens the codes once and is wiped.
    await page.evaluate(
      ([id, secret]) => {
        localStorage.setItem('open2fa.remember', JSON.stringify({ id, secret }));
      },
      [user.id, user.secret],
    );
    await page.reload();
    await page.locator('#entry-list > li').nth(2).waitFor();
    await expect.poll(() => noticeText(page)).toContain('it has been wiped');
    expect(JSON.parse((await stored()) ?? 'null')).toEqual({ id: user.id });
    expect(await page.getByLabel('Open2FA Secret', { exact: true }).inputValue()).toBe('');

    await page.getByRole('button', { name: 'Forget this device' }).click();
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.getByLabel('Open2FA ID', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Open2FA Secret', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Remember my Open2FA ID and keep an offline copy').isChecked()).toBe(false);
    await page.reload();
    expect(await page.locator('#entries-section').isHidden()).toBe(true);
    expect(await page.getByLabel('Open2FA ID', { exact: true }).inputValue()).toBe('');
  });

  it('adds (secret, otpauth link, QR image) as v2 items, renames and deletes, encrypted in the page', async () => {
    const added = {
      secret: 'KRSXG5CTMVRXEZLU',
      link: 'otpauth://totp/ACME:alice?secret=MFRGGZDFMZTWQ2LK&issuer=ACME',
      qr: 'NBSWY3DPEB3W64TMMQQQ',
    };
    const v2 = new V2TestClient(server, user);
    /** [name, secret] of the live v2 items, decrypted in the test. */
    const onServer = async (): Promise<(string | null)[][]> =>
      (await v2.live()).map(({ entry }) => [entry?.name ?? null, entry?.secret ?? null]).sort();
    await open();
    await unlock(page, user.id, user.secret);
    await confirmNewAccount(page);
    await expect.poll(() => noticeText(page)).toContain('no entries stored for this Open2FA ID');

    const secretField = page.getByLabel('Secret or otpauth:// link');
    await secretField.fill(added.secret.toLowerCase());
    await page.getByLabel('Name (optional)').fill('Mail');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect.poll(() => noticeText(page)).toBe('Added “Mail”.');
    expect(await onServer()).toEqual([['Mail', added.secret]]);
    expect((await storedEntries(server, user)) ?? []).toEqual([]);

    await secretField.fill(added.link);
    await secretField.press('Enter');
    await expect.poll(() => noticeText(page)).toBe('Added “ACME: alice”.');

    const qr = qrcode(0, 'M');
    qr.addData(`otpauth://totp/Forum:bob?secret=${added.qr}&issuer=Forum`);
    qr.make();
    const gif = Buffer.from(qr.createDataURL(6, 4).split(',')[1] ?? '', 'base64');
    await page
      .getByLabel('Or read a QR code image')
      .setInputFiles({ name: 'qr.gif', mimeType: 'image/gif', buffer: gif });
    await expect.poll(() => noticeText(page)).toBe('Read the QR code. Check the name, then press Add entry.');
    expect(await page.getByLabel('Name (optional)').inputValue()).toBe('Forum: bob');
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect.poll(() => noticeText(page)).toBe('Added “Forum: bob”.');

    // The same secret again is refused locally instead of stored twice.
    await secretField.fill(added.secret);
    await page.getByRole('button', { name: 'Add entry' }).click();
    await expect
      .poll(() => noticeText(page))
      .toBe('This secret is already stored as “Mail”. Use Rename to change its name.');

    expect(await onServer()).toEqual([
      ['ACME: alice', 'MFRGGZDFMZTWQ2LK'],
      ['Forum: bob', added.qr],
      ['Mail', added.secret],
    ]);
    expect((await readRows(page)).map((row) => row.name)).toEqual(['ACME: alice', 'Forum: bob', 'Mail']);

    const mailBefore = (await v2.live()).find((item) => item.entry?.name === 'Mail');
    await page.getByRole('button', { name: 'Rename Mail' }).click();
    const rename = page.getByLabel('New name');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(await rename.getAttribute('id'));
    await rename.fill('Work mail');
    await rename.press('Enter');
    await expect.poll(() => noticeText(page)).toBe('Renamed to “Work mail”.');
    const mailAfter = (await v2.live()).find((item) => item.id === mailBefore?.id);
    expect(mailAfter).toMatchObject({
      rev: (mailBefore?.rev ?? 0) + 1,
      entry: { name: 'Work mail', secret: added.secret },
    });
    expect(await v2.live()).toHaveLength(3);

    await page.getByRole('button', { name: 'Delete Forum: bob' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await v2.live()).toHaveLength(3);
    await page.getByRole('button', { name: 'Delete Forum: bob' }).click();
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => noticeText(page)).toBe('Deleted “Forum: bob”.');
    expect((await onServer()).map(([name]) => name)).toEqual(['ACME: alice', 'Work mail']);
    // A tombstone stays behind (docs/protocol.md §3).
    expect((await v2.all()).filter((item) => item.deleted)).toHaveLength(1);
    expect((await readRows(page)).map((row) => row.name)).toEqual(['ACME: alice', 'Work mail']);

    expect(recorder.apiRequests().map((request) => request.method())).toEqual([
      'GET',
      'GET',
      'PUT',
      'PUT',
      'PUT',
      'PUT',
      'DELETE',
    ]);
    await recorder.assertClean(server.origin, forbidden(added.secret, 'MFRGGZDFMZTWQ2LK', added.qr, 'otpauth'));
  });

  it('reports how long 100 entries take to show after the response arrives (measured, not asserted)', async () => {
    await seed(
      server,
      user,
      Array.from({ length: 100 }, (_, index) => ({
        secret: `JBSWY3DPEHPK3P${'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.charAt(index % 32)}${String.fromCharCode(65 + Math.floor(index / 32))}`,
        name: `Service ${String(index).padStart(3, '0')}`,
      })),
    );
    // Instrumentation injected through the DevTools protocol (the page's CSP does not apply to it).
    await page.addInitScript(() => {
      const marks = { response: 0, shown: 0 };
      (globalThis as unknown as { renderMarks: typeof marks }).renderMarks = marks;
      const original = globalThis.fetch.bind(globalThis);
      globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
        const response = await original(...args);
        marks.response = performance.now();
        return response;
      };
      new MutationObserver(() => {
        if (marks.shown === 0 && document.querySelectorAll('#entry-list > li .code').length === 100)
          marks.shown = performance.now();
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    await open();
    await unlockAndWait(100);
    const marks = await page.evaluate(
      () => (globalThis as unknown as { renderMarks: { response: number; shown: number } }).renderMarks,
    );
    const elapsed = marks.shown - marks.response;
    console.info(`web: 100 entries decrypted and shown ${elapsed.toFixed(1)} ms after the response arrived`);
    expect(elapsed).toBeGreaterThan(0);
  });

  it.skipIf(process.env.UPDATE_SCREENSHOTS !== '1')(
    'writes docs/screenshot-desktop.png and docs/screenshot-mobile.png',
    async () => {
      // Legacy v1 entries (with their badge) beside v2 items of every kind.
      await seed(server, user, [
        { secret: 'JBSWY3DPEHPK3PXP', name: 'GitHub' },
        { secret: 'I65VU7K5ZQL7WB4E', name: 'Mail' },
      ]);
      await new V2TestClient(server, user).seed([
        makeEntry('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'AWS (root account)', {
          algorithm: 'SHA256',
          digits: 8,
          period: 60,
        }),
        makeEntry('KRSXG5CTMVRXEZLU', 'Bank', { type: 'hotp', counter: 12 }),
        makeEntry('MFRGGZDFMZTWQ2LK', 'Steam', { type: 'steam' }),
        makeEntry('NBSWY3DPEB3W64TMMQQQ', null),
      ]);
      const docs = fileURLToPath(new URL('../../docs/', import.meta.url));
      await mkdir(docs, { recursive: true });
      for (const [file, width, height] of [
        ['screenshot-desktop.png', 1280, 900],
        ['screenshot-mobile.png', 390, 844],
      ] as const) {
        await page.setViewportSize({ width, height });
        await open();
        await unlockAndWait(6);
        await page.locator('#entry-list > li').filter({ hasText: 'GitHub' }).locator('.code').click();
        await page.mouse.move(0, 0);
        await page.waitForTimeout(400);
        if (width > 1000) {
          // The desktop shot also shows an import preview (made in the page, nothing sent).
          await showImportPreview(page);
          await page.locator('#entry-list > li').filter({ hasText: 'GitHub' }).locator('.code').click();
          await page.mouse.move(0, 0);
        }
        await page.screenshot({ path: `${docs}${file}`, fullPage: width > 1000 });
        await page.getByRole('button', { name: 'Lock' }).click();
      }
    },
  );
});
