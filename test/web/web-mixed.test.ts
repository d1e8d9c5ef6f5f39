import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { normalizeBase32 } from '../../src/core/encoding.js';
import { browserSkipReason } from '../helpers/browser.js';
import { Open2fa1x } from '../helpers/open2fa-1x.js';
import type { TestServer } from '../helpers/test-server.js';
import { freshDir, runOpen2fa, type CliRun } from '../cli/cli-harness.js';
import { noticeText, readRows, unlock, type TestUser, usePageSession } from './ui-helpers.js';
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

  it('1.x, this CLI and the page on one account: every kind of secret, deletes and renames on each side, each secret once', async () => {
    const { recorder } = session();
    const v1Url = `${server.origin}/api/v1`;
    const cliDir = await freshDir();
    const env = { OPEN2FA_DIR: cliDir, OPEN2FA_API_URL: server.origin, OPEN2FA_UUID: user.uuid };
    const cli = (...argv: string[]): Promise<CliRun> => runOpen2fa(argv, { env });
    const oldDir = await freshDir();
    const open1x = (dir = oldDir): Promise<Open2fa1x> => Open2fa1x.open(dir, v1Url, user.uuid);

    /** What every client must show: the secrets 1.x can use (v1 and v2) and the others (v2 only). */
    const both = new Set<string>();
    const v2Only = new Set<string>();
    const expectEverywhere = async (step: string): Promise<void> => {
      const all = [...both, ...v2Only].sort();
      // A fresh 1.x client: no traceback, each secret it can use once, none it cannot.
      const fresh = await (await open1x(await freshDir())).pull();
      expect(fresh.map((s) => s.name).sort(), `${step}: 1.x pull`).toEqual([...both].sort());
      expect(new Set(fresh.map((s) => normalizeBase32(s.secret))).size, `${step}: 1.x twice`).toBe(fresh.length);
      expect((await v2.live()).map((item) => item.entry?.name).sort(), `${step}: v2 items`).toEqual(all);
      const local = JSON.parse(ok(await cli('list', '--json')).stdout) as { name: string }[];
      expect(local.map((s) => s.name).sort(), `${step}: CLI list`).toEqual(all);
      // The page: one card per secret, both badges on the secrets 1.x sees.
      await page.goto(`${server.origin}/`);
      await unlock(page, user.id, user.secret);
      await page
        .locator('#entry-list > li')
        .nth(all.length - 1)
        .waitFor();
      expect((await readRows(page)).map((row) => row.name).sort(), `${step}: page cards`).toEqual(all);
      for (const name of all) {
        expect(await badges(name), `${step}: badges of ${name}`).toEqual(both.has(name) ? ['v1', 'v2'] : []);
      }
    };
    const sync = async (): Promise<void> => {
      ok(await cli('remote', 'pull'));
      ok(await cli('remote', 'push'));
    };

    // Device A, the 1.x client: upper and lower case secrets, a unicode name.
    const old = await open1x();
    await old.add('JBSWY3DPEHPK3PXP', 'GitHub');
    await old.add('I65VU7K5ZQL7WB4E', 'Mail');
    await old.add('nbswy3dpo5xxe3de', 'Café ☕');
    await old.push();
    for (const name of ['GitHub', 'Mail', 'Café ☕']) both.add(name);

    // Device B, this CLI with no setting but the server's base URL: every kind of secret it accepts.
    const adds: [string[], string, boolean][] = [
      [['gezd gnbv gy3t qojq', 'Bank'], 'Bank', true],
      [['MFRGGZDFMZTWQ2LKNNWG23TPOA', 'Shop'], 'Shop', true],
      [
        ['otpauth://totp/%C3%9Cml%C3%A4ut:j%C3%BCrgen?secret=ORSXG5DJNZTSA2LT&issuer=%C3%9Cml%C3%A4ut'],
        'Ümläut:jürgen',
        true,
      ],
      [['otpauth://totp/Eight:me?secret=NB2HI4DTHIXS6ZLY&digits=8'], 'Eight:me', false],
      [['otpauth://totp/Cloud:me?secret=ONSWG4TFOQYTEMZU&algorithm=SHA256'], 'Cloud:me', false],
      [
        ['otpauth://totp/Vault:me?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA512&digits=8&period=60'],
        'Vault:me',
        false,
      ],
      [['otpauth://totp/Slow:me?secret=MZXW6YTBOJUWU23MNU&period=60'], 'Slow:me', false],
      [['otpauth://hotp/Ops:me?secret=KRSXG5CTMVRXEZLU&counter=3'], 'Ops:me', false],
      [['otpauth://steam/Steam:me?secret=OBQXG43XN5ZGIMJS'], 'Steam:me', false],
    ];
    for (const [argv, name, usable] of adds) {
      ok(await cli('add', ...argv));
      (usable ? both : v2Only).add(name);
    }
    await sync();
    await expectEverywhere('first sync');
    // 1.x on the directory this CLI wrote: list and generate run with every kind of secret.
    const copy = await freshDir();
    await cp(cliDir, copy, { recursive: true });
    expect((await open1x(copy)).generate()).toHaveLength(both.size + v2Only.size);

    // The CLI deletes, renames, advances an HOTP counter and imports; each reaches every client.
    ok(await cli('delete', '-f', '-n', 'Bank'));
    both.delete('Bank');
    ok(await cli('rename', 'Shop', 'Shop 🛒'));
    both.delete('Shop');
    both.add('Shop 🛒');
    ok(await cli('rename', 'Cloud:me', 'Cloud (work)'));
    v2Only.delete('Cloud:me');
    v2Only.add('Cloud (work)');
    ok(await cli('code', 'Ops:me'));
    const imports = join(cliDir, 'import.txt');
    await writeFile(
      imports,
      'otpauth://totp/Imported?secret=KNSWG4TFORZQ2LKNNWG2\notpauth://hotp/Counter?secret=MNXXK3TUMVZHGMJS\n',
    );
    ok(await cli('import', imports));
    both.add('Imported');
    v2Only.add('Counter');
    await sync();
    await expectEverywhere('CLI delete, rename, code, import');
    expect((await v2.live()).find((item) => item.entry?.name === 'Ops:me')?.entry?.counter).toBe(4);

    // The page renames and deletes (both copies); the CLI takes both, keeping the deleted one in its trash.
    await page.getByRole('button', { name: 'Rename GitHub' }).click();
    await page.getByLabel('New name').fill('GitHub work');
    await page.getByLabel('New name').press('Enter');
    await expect.poll(() => noticeText(page)).toBe('Renamed to “GitHub work”.');
    await page.getByRole('button', { name: 'Delete Mail' }).click();
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => noticeText(page)).toBe('Deleted “Mail”.');
    both.delete('GitHub');
    both.add('GitHub work');
    both.delete('Mail');
    await sync();
    await expectEverywhere('page rename and delete');
    // Restored from the CLI's trash, it comes back for every client.
    ok(await cli('restore', 'Mail'));
    both.add('Mail');
    await sync();
    await expectEverywhere('CLI restore');

    // Another v2 device makes an entry one 1.x cannot use (8 digits): its v1 copy goes.
    const umlaut = (await v2.live()).find((item) => item.entry?.name === 'Ümläut:jürgen');
    if (umlaut?.entry == null) throw new Error('no Ümläut:jürgen item');
    await v2.put({ ...umlaut.entry, digits: 8 }, umlaut.id, umlaut.rev);
    both.delete('Ümläut:jürgen');
    v2Only.add('Ümläut:jürgen');
    await sync();
    await expectEverywhere('parameters edited on another device');

    // 1.x renames the only way it can (delete, add under the new name, push): the CLI takes the name.
    const renamer = await open1x(await freshDir());
    await renamer.pull();
    expect(await renamer.remove({ name: 'Café ☕' })).toBe(1);
    await renamer.add('nbswy3dpo5xxe3de', 'Café ☕ (Paris)');
    await renamer.push();
    both.delete('Café ☕');
    both.add('Café ☕ (Paris)');
    await sync();
    await expectEverywhere('1.x rename');

    // 1.x deletes (here and remote): as with two 1.x devices, a device that still holds the secret
    // pushes it again; the page deletes it for every client.
    expect(await renamer.remove({ name: 'Imported' })).toBe(1);
    await renamer.push();
    const deleter = await open1x(await freshDir());
    await deleter.pull();
    expect(await deleter.remoteDelete({ name: 'Imported' })).toBe(1);
    await sync();
    await expectEverywhere('1.x delete, CLI still holds it');
    await page.getByRole('button', { name: 'Delete Imported' }).click();
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => noticeText(page)).toBe('Deleted “Imported”.');
    both.delete('Imported');
    await sync();
    await expectEverywhere('page delete of what 1.x deleted');

    await recorder.assertClean(server.origin, [user.uuid, user.secret, 'JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQ']);
  }, 120_000);
});
