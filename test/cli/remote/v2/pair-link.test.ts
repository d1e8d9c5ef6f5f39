import { describe, expect, it } from 'vitest';
import { pairLink } from '../../../../src/cli/commands/remote/pair.js';
import { browserSkipReason } from '../../../helpers/browser.js';
import { codesAround, readRows, usePageSession } from '../../../web/ui-helpers.js';
import { freshDir, runOpen2fa, type CliRun } from '../../cli-harness.js';

// `open2fa remote pair` prints the page's pairing link (src/web/pair-link.ts) and its QR code; the
// link, opened in Chromium, shows the codes with nothing typed.

const skip = browserSkipReason();
const GITHUB = 'JBSWY3DPEHPK3PXP';
const WARNING =
  'warning: this link is the key to every secret of the account: whoever sees it (or its QR code) can read ' +
  'them all; open it only on your own device, and do not paste it into a chat or a ticket\n';

function ok(run: CliRun): CliRun {
  expect(run.exitCode).toBe(0);
  return run;
}

describe('the pairing link', () => {
  it.each([
    ['https://2fa.example/api/v1', 'https://2fa.example/#pair='],
    ['https://2fa.example/api', 'https://2fa.example/#pair='],
    ['https://example.org/open2fa/api/v1', 'https://example.org/open2fa/#pair='],
  ])('for %s starts %s', (apiUrl, start) => {
    const uuid = 'A1B2C3D4-0000-4000-8000-00000000000F';
    expect(pairLink(apiUrl, uuid)).toBe(`${start}${uuid.toLowerCase()}`);
  });
});

describe.skipIf(skip !== null)('open2fa remote pair in Chromium', () => {
  const session = usePageSession({});

  it('prints the link and a QR code with a warning; the page opens the codes with nothing typed', async () => {
    const { server, page, user, recorder } = session();
    const dir = await freshDir();
    const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: `${server.origin}/api/v1`, OPEN2FA_UUID: user.uuid };
    ok(await runOpen2fa(['add', GITHUB, 'GitHub'], { env }));
    ok(await runOpen2fa(['remote', 'push'], { env }));
    const pair = ok(await runOpen2fa(['remote', 'pair'], { env }));
    expect(pair.stderr).toBe(WARNING);
    const [link, ...qr] = pair.stdout.split('\n');
    expect(link).toBe(`${server.origin}/#pair=${user.uuid}`);
    expect(qr.join('\n')).toMatch(/[█▀▄]/);
    expect(ok(await runOpen2fa(['remote', 'pair', '--no-qr'], { env })).stdout).toBe(`${link ?? ''}\n`);

    const now = Date.now();
    await page.goto(link ?? '');
    await page.locator('#entry-list > li').first().waitFor();
    const rows = await readRows(page);
    expect(rows.map((row) => row.name)).toEqual(['GitHub']);
    expect(codesAround(GITHUB, now)).toContain(rows[0]?.code);
    expect(await page.evaluate(() => location.hash)).toBe('');
    await recorder.assertClean(server.origin, [user.uuid, user.secret, GITHUB]);
  });
});
