import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printable } from '../../../src/cli/output/text-format.js';
import { device, ok, serverForTest } from '../cli-devices.js';

// The local safety net of issue #15: what a sync removes goes to trash.json first, `open2fa trash`
// lists it for 30 days and `open2fa restore NAME` puts it back (the next push uploads it).

const DAY_MS = 86_400_000;
/** The devices' clock, unless a run names its own. */
const CLOCK = 59_000;
const GITHUB = 'JBSWY3DPEHPK3PXP';
const MAIL = 'I65VU7K5ZQL7WB4E';

describe('open2fa trash and restore', () => {
  it('a deletion from another device goes to the trash, is named, listed, and restored; push uploads it', async () => {
    const server = await serverForTest();
    const uuid = crypto.randomUUID();
    const a = await device(server.origin, uuid, CLOCK);
    const b = await device(server.origin, uuid, CLOCK);
    ok(await a.run('add', GITHUB, 'GitHub'));
    ok(await a.run('add', MAIL, 'Mail'));
    ok(await a.run('remote', 'push'));
    ok(await b.run('remote', 'pull'));
    expect(ok(await b.run('trash')).stdout).toBe('The trash is empty.\n');

    ok(await a.run('delete', '-f', 'GitHub'));
    ok(await a.run('remote', 'push'));
    const pull = ok(await b.run('remote', 'pull'));
    expect(pull.stdout).toBe(
      `Pulled from ${server.origin}/api/v2/items: 0 new, 0 updated, 1 removed here.\n` +
        'removed here: GitHub (deleted on another device; `open2fa restore GitHub` brings it back)\n',
    );
    expect(await b.names()).toEqual(['Mail']);
    expect((await stat(join(b.dir, 'trash.json'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(b.dir, 'trash.json'), 'utf8')).toContain(GITHUB);
    expect(ok(await b.run('trash')).stdout).toBe(
      '1. GitHub J...P  removed 1970-01-01 00:00 UTC (deleted on another device)\n',
    );
    expect(JSON.parse(ok(await b.run('trash', '--json')).stdout)).toEqual([
      { name: 'GitHub', removedAt: '1970-01-01T00:00:59.000Z', why: 'deleted on another device' },
    ]);
    // The Python client's file keeps its layout: the trash is a file of its own.
    expect(await readFile(join(b.dir, 'secrets.json'), 'utf8')).toBe(
      `{"secrets": [{"secret": "${MAIL}", "name": "Mail"}]}`,
    );

    expect(ok(await b.run('restore', 'github')).stdout).toBe(
      'Restored GitHub; `open2fa remote push` uploads it again.\n',
    );
    expect((await b.names()).sort()).toEqual(['GitHub', 'Mail']);
    expect(ok(await b.run('trash')).stdout).toBe('The trash is empty.\n');
    expect(ok(await b.run('remote', 'push')).stdout).toMatch(/^Pushed 1 change\(s\) and 0 deletion\(s\)/);
    expect(ok(await a.run('remote', 'pull')).stdout).toContain(': 1 new, 0 updated, 0 removed here.');
    expect((await a.names()).sort()).toEqual(['GitHub', 'Mail']);
  });

  it('keeps an entry 30 days, then forgets it; an unknown name is a usage error', async () => {
    const server = await serverForTest();
    const uuid = crypto.randomUUID();
    const a = await device(server.origin, uuid, CLOCK);
    const b = await device(server.origin, uuid, CLOCK);
    ok(await a.run('add', GITHUB, 'GitHub'));
    ok(await a.run('remote', 'push'));
    ok(await b.run('remote', 'pull'));
    ok(await a.run('delete', '-f', 'GitHub'));
    ok(await a.run('remote', 'push'));
    ok(await b.run('remote', 'pull'));
    expect(ok(await b.runAt(29 * DAY_MS, 'trash')).stdout).toMatch(/^1\. GitHub /);
    expect(ok(await b.runAt(30 * DAY_MS + 59_000, 'trash')).stdout).toBe('The trash is empty.\n');
    const restore = await b.runAt(30 * DAY_MS + 59_000, 'restore', 'GitHub');
    expect(restore.exitCode).toBe(2);
    expect(restore.stderr).toBe('open2fa: error: nothing named "GitHub" in the trash (see `open2fa trash`)\n');
    // By number, as `open2fa trash` shows it, while it is still there.
    expect(ok(await b.runAt(DAY_MS, 'restore', '1')).stdout).toBe(
      'Restored GitHub; `open2fa remote push` uploads it again.\n',
    );
  });
});

describe('printable', () => {
  it.each([
    ['ESC and CSI', '\u001b[2Jx\u009b1m', '?[2Jx?1m'],
    ['BEL, DEL, NUL', '\u0007\u007f\u0000', '???'],
    ['bidi embeddings and overrides U+202A–202E', '\u202a\u202b\u202c\u202d\u202e', '?????'],
    ['bidi isolates U+2066–2069', '\u2066\u2067\u2068\u2069', '????'],
    ['direction marks and line separators', '\u200e\u200f\u061c\u2028\u2029', '?????'],
  ])('replaces %s', (_label, text, shown) => {
    expect(printable(text)).toBe(shown);
  });

  it.each([['GitHub'], ['Zürich ÄÖÜ'], ['日本語'], ['עברית'], ['emoji 🔑'], ['a\u200db']])('keeps %s', (text) => {
    expect(printable(text)).toBe(text);
  });
});
