import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { makeEntry, type Entry } from '../../src/core/entry/model.js';
import { detectImport } from '../../src/core/formats/format-registry.js';
import { textSource } from '../../src/core/formats/import-source.js';
import { browserSkipReason } from '../helpers/browser.js';
import { noticeText, unlock, usePageSession } from './ui-helpers.js';
import { V2TestClient } from './v2-helpers.js';

// Google Authenticator transfer codes from the page (Export and back up): behind a confirmation that
// says how many codes and what is left out, shown one after another in the QR dialog ("1 of 2"),
// each decoded here from a screenshot as a phone's camera would, and read back through open2fa's
// own importer: the same entries as stored, less the Steam one a transfer cannot hold.

// jsQR is CommonJS typed as `export =`: loaded the CommonJS way to keep its types.
const jsQR = createRequire(import.meta.url)('jsqr') as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

const skip = browserSkipReason();

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Twelve entries a transfer holds (every algorithm, 6 and 8 digits, an HOTP counter) and a Steam one. */
const ENTRIES: Entry[] = [
  ...Array.from({ length: 12 }, (_, index) =>
    makeEntry(`JBSWY3DPEHPK3P${ALPHABET.charAt(index)}Q`, `Site${String(index)}:user${String(index)}`, {
      issuer: `Site${String(index)}`,
      account: `user${String(index)}`,
      algorithm: (['SHA1', 'SHA256', 'SHA512'] as const)[index % 3] ?? 'SHA1',
      digits: index % 2 === 0 ? 6 : 8,
      ...(index === 5 ? { type: 'hotp' as const, counter: 42 } : {}),
    }),
  ),
  makeEntry('I65VU7K5ZQL7WB4E', 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
];

/** Screenshots the dialog's QR code and decodes it in Node. */
async function readQr(page: Page): Promise<string | null> {
  const image = PNG.sync.read(await page.locator('#qr-code svg').screenshot());
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

/** What a transfer keeps of an entry: everything but the note, groups and favourite flag. */
const parameters = (entry: Entry): unknown => ({ ...entry, note: undefined, groups: undefined, favorite: undefined });

describe.skipIf(skip !== null)('Google Authenticator transfer codes from the page (Chromium)', () => {
  const session = usePageSession({ viewport: { width: 900, height: 1400 } });

  it('shows the codes one after another behind a confirmation, and they import back as the same entries', async () => {
    const { server, page, recorder, user } = session();
    await new V2TestClient(server, user).seed(ENTRIES);
    await page.goto(`${server.origin}/`);
    await unlock(page, user.id, user.secret);
    await page.locator('#entry-list > li').nth(12).waitFor();

    await page.getByRole('button', { name: 'Google transfer QR codes' }).click();
    await expect
      .poll(() => page.locator('#export-confirm-text').textContent())
      .toBe(
        'Show 12 entries as Google Authenticator transfer codes (2 QR codes, one after another), NOT encrypted? Anyone who sees or photographs them can make your codes. Left out, as Google Authenticator cannot hold them: Steam:gamer (Google Authenticator has no Steam codes).',
      );
    expect(await page.locator('#qr-dialog').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Show', exact: true }).click();

    const dialog = page.locator('#qr-dialog');
    await dialog.waitFor();
    const heading = page.locator('#qr-heading');
    await expect.poll(() => heading.textContent()).toBe('Google Authenticator transfer code 1 of 2');
    const first = await readQr(page);
    expect(first).toMatch(/^otpauth-migration:\/\/offline\?data=/);
    await page.getByRole('button', { name: 'Next QR code' }).click();
    await expect.poll(() => heading.textContent()).toBe('Google Authenticator transfer code 2 of 2');
    expect(await page.getByRole('button', { name: 'Next QR code' }).isHidden()).toBe(true);
    const second = await readQr(page);
    expect(second).toMatch(/^otpauth-migration:\/\/offline\?data=/);
    expect(second).not.toBe(first);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Nothing of the codes stays in the page once the dialog is closed, the Next button included.
    expect(await page.locator('#qr-code').evaluate((node) => node.childElementCount)).toBe(0);
    expect(await page.locator('#qr-next').count()).toBe(0);
    expect(await noticeText(page)).not.toMatch(/could not/);

    // Read back by open2fa's own importer: both codes of one batch, every parameter as stored.
    const outcome = await detectImport(textSource(`${first ?? ''}\n${second ?? ''}`));
    if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
    expect(outcome).toMatchObject({ format: 'google-migration', warnings: [] });
    // In the order the page lists them (by name); the transfer keeps that order.
    const byName = (a: Entry, b: Entry): number => (a.name ?? '').localeCompare(b.name ?? '', 'en');
    const back = outcome.items.map((item) => (item.ok ? parameters(item.entry) : item.problem));
    expect(back).toEqual(
      ENTRIES.filter((entry) => entry.type !== 'steam')
        .sort(byName)
        .map(parameters),
    );
    await recorder.assertClean(server.origin, [user.uuid, user.secret, ...ENTRIES.map((entry) => entry.secret)]);
  }, 60_000);
});
