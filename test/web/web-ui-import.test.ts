import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeEntry, type Entry } from '../../src/core/index.js';
import { formatOtpauthUri } from '../../src/core/formats/otpauth-uri.js';
import { browserSkipReason } from '../helpers/browser.js';
import type { TestServer } from '../helpers/test-server.js';
import {
  aegisEntry,
  aegisVault,
  base32Bytes,
  migrationUri,
  qrPng,
  SECRET_A,
  SECRET_B,
  SECRET_C,
  SECRET_D,
} from '../core/formats/format-fixtures.js';
import {
  confirmNewAccount,
  noticeText,
  type PageRecorder,
  readRows,
  seed,
  storedEntries,
  unlock,
  type TestUser,
  usePageSession,
} from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';
import { encryptedVault } from '../core/formats/encrypted-fixtures.js';
import { sqliteFile } from '../core/formats/sqlite-fixtures.js';

const PASSWORD = 'page-side password 42';

/** Google Authenticator's `databases` file (table accounts, as Aegis's GoogleAuthImporter documents it). */
function googleDatabase(): Promise<Uint8Array> {
  return sqliteFile(
    [
      'CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL, original_name TEXT DEFAULT NULL)',
      'INSERT INTO accounts (email, secret, counter, type, issuer, original_name) VALUES (?, ?, ?, ?, ?, ?)',
    ],
    [[], ['carol', SECRET_C, 17, 1, '', 'carol']],
  );
}

// jsQR is CommonJS typed as `export =`: loaded the CommonJS way to keep its types.
const jsQR = createRequire(import.meta.url)('jsqr') as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

const skip = browserSkipReason();

const SECRET_E = 'KRSXG5CTMVRXEZLU';
const SECRET_F = 'MFRGGZDFMZTWQ2LK';
const ALL_SECRETS = [SECRET_A, SECRET_B, SECRET_C, SECRET_D, SECRET_E, SECRET_F];

/** The parameters that make an entry's codes, plus its name: what an import must keep. */
const summary = (entry: Entry | null): unknown =>
  entry === null
    ? null
    : {
        name: entry.name,
        secret: entry.secret,
        type: entry.type,
        algorithm: entry.algorithm,
        digits: entry.digits,
        ...(entry.type === 'hotp' ? { counter: entry.counter } : { period: entry.period }),
      };

describe.skipIf(skip !== null)('import and QR codes in the web UI (Chromium)', () => {
  let server: TestServer;
  let page: Page;
  let recorder: PageRecorder;
  let user: TestUser;
  let v2: V2TestClient;

  /** Never in a request: the UUID, the Secret, every plaintext secret, and any otpauth URI. */
  const forbidden = (): string[] => [user.uuid, user.secret, ...ALL_SECRETS, 'otpauth'];

  const session = usePageSession({ colorScheme: 'dark' });
  beforeEach(() => {
    ({ server, page, recorder, user } = session());
    v2 = new V2TestClient(server, user);
  });

  async function openAndUnlock(rows: number): Promise<void> {
    await page.goto(`${server.origin}/`);
    await unlock(page, user.id, user.secret);
    if (rows > 0)
      await page
        .locator('#entry-list > li')
        .nth(rows - 1)
        .waitFor();
    else {
      await confirmNewAccount(page);
      await expect.poll(() => noticeText(page)).toContain('no entries stored');
    }
  }

  /** The preview's rows as `name → outcome`. */
  async function previewRows(): Promise<string[]> {
    await page.locator('#import-preview').waitFor();
    return page
      .locator('#import-rows > li')
      .evaluateAll((items) =>
        items.map(
          (item) =>
            `${item.querySelector('.import-name')?.textContent ?? ''} → ${item.querySelector('.import-outcome')?.textContent ?? ''}`,
        ),
      );
  }

  const pasteField = (): ReturnType<Page['getByLabel']> =>
    page.getByLabel('otpauth:// or otpauth-migration:// links, or an export file’s text');
  const fileField = (): ReturnType<Page['getByLabel']> =>
    page.getByLabel('Or choose an export file or a QR code image');

  it('previews pasted otpauth and Google transfer URIs, sends nothing until Import, then stores v2 items', async () => {
    await openAndUnlock(0);
    const pasted = [
      `otpauth://totp/ACME:alice?secret=${SECRET_A}&issuer=ACME&algorithm=SHA256&digits=8&period=60`,
      `otpauth://hotp/Fob?secret=${SECRET_B}&counter=7`,
      migrationUri([
        { secret: base32Bytes(SECRET_C), name: 'carol@example.com', issuer: 'Mail' },
        { secret: base32Bytes(SECRET_D), name: 'dave', issuer: 'Shop', algorithm: 3, digits: 2 },
      ]),
    ].join('\n');
    await pasteField().fill(pasted);
    const before = recorder.requests.length;
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await previewRows()).toEqual([
      'ACME:alice → will be added',
      'Fob → will be added',
      'Mail:carol@example.com → will be added',
      'Shop:dave → will be added',
    ]);
    expect(await page.locator('#import-summary').textContent()).toBe(
      'otpauth:// links, one per line (Ente Auth plain export, any app): 4 entries found, 4 to add. Nothing is sent until you press Import.',
    );
    // The preview is made in the page: only the import chunk was fetched, no API request.
    const sinceBefore = recorder.requests.slice(before).map((request) => new URL(request.url()).pathname);
    expect(sinceBefore.filter((path) => !/^\/assets\/(import-panel|chunk)-\w+\.js$/.test(path))).toEqual([]);
    expect(sinceBefore.some((path) => path.startsWith('/assets/import-panel-'))).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('import-summary');

    await page.getByRole('button', { name: 'Import 4 entries' }).click();
    await expect.poll(() => noticeText(page)).toBe('Imported 4 entries, encrypted in this page.');
    expect(await page.locator('#import-preview').isHidden()).toBe(true);
    expect(await pasteField().inputValue()).toBe('');
    const stored = (await v2.live()).map(({ entry }) => summary(entry));
    expect(stored).toHaveLength(4);
    expect(stored).toEqual(
      expect.arrayContaining([
        summary(
          makeEntry(SECRET_A, 'ACME:alice', {
            algorithm: 'SHA256',
            digits: 8,
            period: 60,
            issuer: 'ACME',
            account: 'alice',
          }),
        ),
        summary(makeEntry(SECRET_B, 'Fob', { type: 'hotp', counter: 7 })),
        summary(makeEntry(SECRET_C, 'Mail:carol@example.com')),
        summary(makeEntry(SECRET_D, 'Shop:dave', { algorithm: 'SHA512', digits: 8 })),
      ]),
    );
    expect((await storedEntries(server, user)) ?? []).toEqual([]);
    expect((await readRows(page)).map((row) => row.name)).toEqual([
      'ACME:alice',
      'Fob',
      'Mail:carol@example.com',
      'Shop:dave',
    ]);
    await recorder.assertClean(server.origin, forbidden());
  });

  it('lists stored entries as already stored and invalid lines with their reason, and imports the rest', async () => {
    await seed(server, user, [{ secret: SECRET_A, name: 'GitHub (v1)' }]);
    await v2.seed([makeEntry(SECRET_B, 'AWS', { algorithm: 'SHA256', digits: 8, period: 60 })]);
    await openAndUnlock(2);
    const pasted = [
      `otpauth://totp/GitHub?secret=${SECRET_A}`,
      `otpauth://totp/AWS?secret=${SECRET_B}&algorithm=SHA256&digits=8&period=60`,
      'otpauth://totp/Broken?secret=1',
      `otpauth://totp/New?secret=${SECRET_C}&issuer=New`,
      '# a comment line is skipped',
      `otpauth://totp/Again?secret=${SECRET_C.toLowerCase()}`,
    ].join('\n');
    await pasteField().fill(pasted);
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await previewRows()).toEqual([
      'line 1 "GitHub" → already stored',
      'line 2 "AWS" → already stored',
      'line 3 → invalid: the secret is not base32',
      'New → will be added',
      'line 6 "Again" → already stored',
    ]);
    await page.getByRole('button', { name: 'Import 1 entry' }).click();
    await expect
      .poll(() => noticeText(page))
      .toBe(
        'Imported one entry, encrypted in this page. Skipped 4: line 1 "GitHub" (already stored); line 2 "AWS" (already stored); line 3 (invalid: the secret is not base32); line 6 "Again" (already stored).',
      );
    expect((await v2.live()).map(({ entry }) => entry?.secret).sort()).toEqual([SECRET_B, SECRET_C].sort());
    expect((await storedEntries(server, user))?.map((entry) => entry.secret)).toEqual([SECRET_A]);

    // Importing the same text again adds nothing.
    await pasteField().fill(pasted);
    await page.getByRole('button', { name: 'Preview' }).click();
    expect((await previewRows()).filter((row) => row.endsWith('will be added'))).toEqual([]);
    const nothing = page.getByRole('button', { name: 'Nothing to import' });
    expect(await nothing.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Discard' }).click();
    expect(await page.locator('#import-preview').isHidden()).toBe(true);
    expect(await v2.live()).toHaveLength(2);
    await recorder.assertClean(server.origin, forbidden());
  });

  it('imports a QR code image, an Aegis file, an encrypted Aegis file with its password and a Google Authenticator database', async () => {
    await openAndUnlock(0);
    await fileField().setInputFiles({
      name: 'qr.png',
      mimeType: 'image/png',
      buffer: qrPng(`otpauth://totp/Forum:bob?secret=${SECRET_E}&issuer=Forum&digits=7`),
    });
    expect(await previewRows()).toEqual(['Forum:bob → will be added']);
    await page.getByRole('button', { name: 'Import 1 entry' }).click();
    await expect.poll(() => noticeText(page)).toBe('Imported one entry, encrypted in this page.');
    expect((await v2.live()).map(({ entry }) => summary(entry))).toEqual([
      summary(makeEntry(SECRET_E, 'Forum:bob', { digits: 7 })),
    ]);

    const aegis = aegisVault([
      aegisEntry('totp', 'Bank', 'eve', { secret: SECRET_F, algo: 'SHA1', digits: 6, period: 30 }),
      aegisEntry('totp', 'Forum', 'bob', { secret: SECRET_E, algo: 'SHA1', digits: 7, period: 30 }),
    ]);
    await fileField().setInputFiles({ name: 'aegis.json', mimeType: 'application/json', buffer: Buffer.from(aegis) });
    await expect
      .poll(() => page.locator('#import-summary').textContent())
      .toBe('Aegis (JSON, plain or encrypted): 2 entries found, 1 to add. Nothing is sent until you press Import.');
    expect((await previewRows())[1]).toMatch(/→ already stored$/);
    await page.getByRole('button', { name: 'Import 1 entry' }).click();
    await expect.poll(() => noticeText(page)).toMatch(/^Imported one entry, encrypted in this page\. Skipped 1: /);
    expect(await v2.live()).toHaveLength(2);

    // An encrypted Aegis vault (scrypt + AES-GCM): the password field appears; a wrong password is
    // explained and nothing is read; the right one opens it, in the page.
    const sealed = encryptedVault(
      {
        version: 3,
        entries: [aegisEntry('totp', 'Shop', 'dan', { secret: SECRET_D, algo: 'SHA256', digits: 8, period: 60 })],
        groups: [],
      },
      [PASSWORD],
      2 ** 10,
    );
    await fileField().setInputFiles({
      name: 'aegis-encrypted.json',
      mimeType: 'application/json',
      buffer: Buffer.from(sealed),
    });
    await expect
      .poll(() => noticeText(page))
      .toBe('This Aegis (JSON, plain or encrypted) file is encrypted: enter its password.');
    const password = page.getByLabel('Password of the export');
    await password.fill('not the password');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect
      .poll(() => noticeText(page))
      .toMatch(/^That password does not open this Aegis .* Nothing was imported\.$/);
    await expect.poll(() => page.locator('#import-password-hint').textContent()).toMatch(/did not open the file/);
    expect(await page.locator('#import-preview').isHidden()).toBe(true);
    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Open' }).click();
    expect(await previewRows()).toEqual(['Shop:dan → will be added']);
    expect(await page.locator('#import-password-form').isHidden()).toBe(true);
    await page.getByRole('button', { name: 'Import 1 entry' }).click();
    await expect.poll(() => noticeText(page)).toBe('Imported one entry, encrypted in this page.');
    expect((await v2.live()).map(({ entry }) => summary(entry))).toContainEqual(
      summary(makeEntry(SECRET_D, 'Shop:dan', { algorithm: 'SHA256', digits: 8, period: 60 })),
    );

    // Google Authenticator's internal database: SQLite read by sql.js's WebAssembly in the page.
    await fileField().setInputFiles({
      name: 'databases',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(await googleDatabase()),
    });
    expect(await previewRows()).toEqual(['carol → will be added']);
    await page.getByRole('button', { name: 'Import 1 entry' }).click();
    await expect.poll(() => noticeText(page)).toBe('Imported one entry, encrypted in this page.');
    expect((await v2.live()).map(({ entry }) => summary(entry))).toContainEqual(
      summary(makeEntry(SECRET_C, 'carol', { type: 'hotp', counter: 17 })),
    );
    expect(await v2.live()).toHaveLength(4);

    await fileField().setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: blankPng() });
    await expect
      .poll(() => noticeText(page))
      .toBe('No QR code was found in that image. Try a sharper or larger picture.');
    expect(await v2.live()).toHaveLength(4);
    await recorder.assertClean(server.origin, [...forbidden(), PASSWORD]);
  });

  it('shows an entry’s QR code (its otpauth URI) in a dialog closed by Escape or Close, focus back on QR', async () => {
    const aws = makeEntry(SECRET_B, 'AWS', { algorithm: 'SHA256', digits: 8, period: 60, issuer: 'Amazon' });
    await v2.seed([aws]);
    await seed(server, user, [{ secret: SECRET_A, name: 'GitHub' }]);
    await openAndUnlock(2);
    const dialog = page.locator('#qr-dialog');

    const awsButton = page.getByRole('button', { name: 'Show the QR code of AWS' });
    await awsButton.click();
    await dialog.waitFor();
    expect(await page.locator('#qr-heading').textContent()).toBe('QR code of AWS');
    expect(await page.locator('#qr-warning').textContent()).toContain('This code holds the secret');
    expect(await readQr(page)).toBe(formatOtpauthUri(aws));
    // Modal: focus is inside, on Close; Escape closes it and puts focus back on the QR button.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('qr-close');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Show the QR code of AWS',
    );
    // The secret does not stay in the page once the dialog is closed.
    expect(await page.locator('#qr-code').evaluate((node) => node.childElementCount)).toBe(0);

    // Keyboard only, on the v1 entry: Enter opens, Enter on Close closes.
    await page.getByRole('button', { name: 'Show the QR code of GitHub' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await readQr(page)).toBe(formatOtpauthUri(makeEntry(SECRET_A, 'GitHub')));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Show the QR code of GitHub',
    );
    await page.getByRole('button', { name: 'Show the QR code of GitHub' }).click();
    await page.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    expect(recorder.apiRequests().map((request) => request.method())).toEqual(['GET', 'GET']);
    await recorder.assertClean(server.origin, forbidden());
  });
});

/** Screenshots the dialog's QR code and decodes it in Node, as a phone's camera would. */
async function readQr(page: Page): Promise<string | null> {
  const image = PNG.sync.read(await page.locator('#qr-code svg').screenshot());
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

function blankPng(): Buffer {
  const png = new PNG({ width: 64, height: 64 });
  png.data.fill(255);
  return PNG.sync.write(png);
}
