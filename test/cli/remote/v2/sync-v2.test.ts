import { copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase64Url, encodeHex } from '../../../../src/core/encoding.js';
import { deriveV1Credentials, deriveV2Keys } from '../../../../src/core/index.js';
import { buildApp } from '../../../../src/server/app.js';
import { backupSqlite, openStore } from '../../../../src/store/open-store.js';
import { startTestServer, type TestServer } from '../../../helpers/test-server.js';
import { device, ok, type Device } from '../../cli-devices.js';
import { freshDir, runOpen2fa } from '../../cli-harness.js';

// Protocol v2 sync between devices (separate OPEN2FA_DIR, same UUID) through a real in-process
// server, with the CLI's default settings (no OPEN2FA_PROTOCOL): docs/protocol.md §4.

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const started = await startTestServer(options);
  servers.push(started);
  return started;
}

const GITHUB = 'JBSWY3DPEHPK3PXP';
const MAIL = 'I65VU7K5ZQL7WB4E';
const BANK = 'GEZDGNBVGY3TQOJQ';

/** Two devices of a new account: A adds `secrets` (secret, name) and pushes, then B pulls. */
async function syncedPair(
  origin: string,
  secrets: readonly (readonly [string, string])[] = [
    [GITHUB, 'GitHub'],
    [MAIL, 'Mail'],
  ],
): Promise<{ readonly uuid: string; readonly a: Device; readonly b: Device }> {
  const uuid = crypto.randomUUID();
  const a = await device(origin, uuid);
  const b = await device(origin, uuid);
  for (const [secret, name] of secrets) ok(await a.run('add', secret, name));
  ok(await a.run('remote', 'push'));
  ok(await b.run('remote', 'pull'));
  return { uuid, a, b };
}

async function credentials(uuid: string): Promise<{ id: string; token: string }> {
  const v1 = await deriveV1Credentials(uuid);
  return { id: v1.id, token: (await deriveV2Keys(v1.key)).authToken };
}

describe('protocol v2 sync, two and three devices', () => {
  it('round trip: push from A, pull on B; a rename syncs as an edit', async () => {
    const { origin } = await server();
    const uuid = crypto.randomUUID();
    const a = await device(origin, uuid);
    const b = await device(origin, uuid);
    ok(await a.run('add', GITHUB, 'GitHub'));
    ok(await a.run('add', MAIL, 'Mail'));
    expect(ok(await a.run('remote', 'push')).stdout).toBe(
      `Pushed 2 change(s) and 0 deletion(s) to ${origin}/api/v2/items; 0 new, 0 updated, 0 removed here.\n`,
    );
    expect(ok(await b.run('remote', 'pull')).stdout).toBe(
      `Pulled from ${origin}/api/v2/items: 2 new, 0 updated, 0 removed here.\n`,
    );
    expect(await b.entries()).toEqual(await a.entries());
    expect(ok(await b.run('remote', 'pull')).stdout).toContain(': 0 new, 0 updated, 0 removed here.');
    // The sync state lives beside secrets.json, which keeps the Python client's layout.
    expect(await readFile(join(b.dir, 'secrets.json'), 'utf8')).toBe(
      `{"secrets": [{"secret": "${GITHUB}", "name": "GitHub"}, {"secret": "${MAIL}", "name": "Mail"}]}`,
    );
    expect((await stat(join(b.dir, 'sync-v2.json'))).mode & 0o777).toBe(0o600);

    ok(await b.run('rename', 'GitHub', 'GitHub work'));
    expect(ok(await b.run('remote', 'push')).stdout).toMatch(/^Pushed 1 change\(s\) and 0 deletion\(s\)/);
    expect(ok(await a.run('remote', 'pull')).stdout).toContain(': 0 new, 1 updated, 0 removed here.');
    expect(await a.entries()).toEqual([
      { name: 'GitHub work', secret: GITHUB },
      { name: 'Mail', secret: MAIL },
    ]);
    // Still two items: the rename replaced the item rather than adding one.
    expect(JSON.parse(ok(await a.run('remote', 'list', '--json')).stdout)).toHaveLength(2);
    expect(ok(await a.run('remote', 'info')).stdout).toContain('Remote secrets: 2\n');
  });

  it('a delete propagates from a device that saw the latest revision (three devices)', async () => {
    const { origin } = await server();
    const { uuid, a, b } = await syncedPair(origin);
    const c = await device(origin, uuid);
    ok(await c.run('remote', 'pull'));
    ok(await b.run('delete', '-f', 'GitHub'));
    expect(ok(await b.run('remote', 'push')).stdout).toMatch(/^Pushed 0 change\(s\) and 1 deletion\(s\)/);
    expect(ok(await a.run('remote', 'pull')).stdout).toContain(': 0 new, 0 updated, 1 removed here.');
    ok(await c.run('remote', 'push'));
    for (const who of [a, b, c]) expect(await who.entries()).toEqual([{ name: 'Mail', secret: MAIL }]);
    expect(JSON.parse(ok(await c.run('remote', 'list', '--json', '-s')).stdout)).toEqual([
      { name: 'Mail', secret: MAIL },
    ]);
  });

  it('an edit beats a stale delete, in both orders', async () => {
    const { origin } = await server();
    const { a, b } = await syncedPair(origin);

    // B deletes GitHub without having seen A's rename: the server answers 409, B keeps the edit.
    ok(await a.run('rename', 'GitHub', 'GitHub renamed'));
    ok(await a.run('remote', 'push'));
    ok(await b.run('delete', '-f', 'GitHub'));
    const stale = await b.run('remote', 'push');
    expect(stale.exitCode).toBe(0);
    expect(stale.stderr).toMatch(/deleted here but edited elsewhere; the edit is kept/);
    expect(await b.entries()).toEqual([
      { name: 'GitHub renamed', secret: GITHUB },
      { name: 'Mail', secret: MAIL },
    ]);

    // A deletes Mail (a tombstone) while B renames it: B re-uploads its edit on top of the tombstone.
    ok(await b.run('rename', 'Mail', 'Mail edited'));
    ok(await a.run('delete', '-f', 'Mail'));
    ok(await a.run('remote', 'push'));
    const resurrect = await b.run('remote', 'push');
    expect(resurrect.exitCode).toBe(0);
    expect(resurrect.stderr).toMatch(/deleted elsewhere but edited here; the edit is kept/);
    ok(await a.run('remote', 'pull'));
    const expected = [
      { name: 'GitHub renamed', secret: GITHUB },
      { name: 'Mail edited', secret: MAIL },
    ];
    expect(await a.entries()).toEqual(expected);
    expect(await b.entries()).toEqual(expected);
  });

  it('concurrent edits keep both versions, one named "… (conflict)"', async () => {
    const { origin } = await server();
    const { a, b } = await syncedPair(origin, [[GITHUB, 'GitHub']]);
    ok(await a.run('rename', 'GitHub', 'GitHub A'));
    ok(await b.run('rename', 'GitHub', 'GitHub B'));
    ok(await a.run('remote', 'push'));
    const second = await b.run('remote', 'push');
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toMatch(/^warning: item [\w-]+ was edited here and elsewhere; both versions are kept\n$/);
    expect(second.stdout).toContain('1 conflict(s) kept as "… (conflict)"');
    ok(await a.run('remote', 'pull'));
    const both = [
      { name: 'GitHub A', secret: GITHUB },
      { name: 'GitHub B (conflict)', secret: GITHUB },
    ];
    expect(await a.entries()).toEqual(both);
    expect(await b.entries()).toEqual(both);
    expect(JSON.parse(ok(await a.run('remote', 'list', '--json', '-s')).stdout)).toEqual(both);
  });

  it('an integrity failure is reported by item id, skipped, never stored; the rest is pulled (exit 1)', async () => {
    const { origin } = await server();
    const uuid = crypto.randomUUID();
    const a = await device(origin, uuid);
    ok(await a.run('add', GITHUB, 'GitHub'));
    ok(await a.run('add', MAIL, 'Mail'));
    ok(await a.run('remote', 'push'));
    // A well-formed envelope, moved to another item id: its AAD no longer matches.
    const who = await credentials(uuid);
    const headers = { 'x-user-hash': who.id, authorization: `Bearer ${who.token}` };
    const listing = (await (await fetch(`${origin}/api/v2/items`, { headers })).json()) as {
      items: { envelope: string }[];
    };
    const moved = 'tamperedItem0000000000';
    const put = await fetch(`${origin}/api/v2/items/${moved}`, {
      method: 'PUT',
      headers: { ...headers, 'if-match': '"0"', 'content-type': 'application/json' },
      body: JSON.stringify({ envelope: listing.items[0]?.envelope }),
    });
    expect(put.status).toBe(200);

    const b = await device(origin, uuid);
    const pull = await b.run('remote', 'pull');
    expect(pull.exitCode).toBe(1);
    expect(pull.stderr).toBe(
      `warning: item ${moved} failed its integrity check (tampered or damaged); skipped\n` +
        'open2fa: error: 1 remote item failed the integrity check and was skipped\n',
    );
    expect(await b.entries()).toEqual([
      { name: 'GitHub', secret: GITHUB },
      { name: 'Mail', secret: MAIL },
    ]);
    // Reported again next time (the item is not forgotten), and remote list says so too.
    expect((await b.run('remote', 'pull')).stderr).toContain(`item ${moved} failed its integrity check`);
    const list = await b.run('remote', 'list', '--json');
    expect(list.exitCode).toBe(1);
    expect(JSON.parse(list.stdout)).toHaveLength(2);
  });

  it('someone who knows only the Open2FA ID can neither plant entries nor lock the owner out', async () => {
    const { origin } = await server();
    const uuid = crypto.randomUUID();
    const { id } = await credentials(uuid);
    // Before protocol revision 2 this write bound the ID to the intruder's token for good; now a v2
    // account is its token, so this creates an account of the intruder's own.
    const planted = await fetch(`${origin}/api/v2/items/${'A'.repeat(22)}`, {
      method: 'PUT',
      headers: {
        'x-user-hash': id,
        authorization: `Bearer ${'x'.repeat(43)}`,
        'if-match': '"0"',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ envelope: `o2fa2.${'A'.repeat(120)}` }),
    });
    expect(planted.status).toBe(200);
    const a = await device(origin, uuid);
    ok(await a.run('add', GITHUB, 'GitHub'));
    expect(await a.run('remote', 'push')).toMatchObject({ exitCode: 0, stderr: '' });
    const pull = await a.run('remote', 'pull');
    expect(pull).toMatchObject({ exitCode: 0, stderr: '' });
    expect(pull.stdout).toContain('0 new');
    const list = await a.run('list');
    expect(list.stdout).toContain('GitHub');
    expect(list.stdout).not.toContain('AAAA');
    const b = await device(origin, uuid);
    expect(ok(await b.run('remote', 'pull')).stdout).toContain(': 1 new, 0 updated, 0 removed here.');
    expect(await b.entries()).toEqual([{ name: 'GitHub', secret: GITHUB }]);
  });
});

describe('server rollback', () => {
  it('warns "rollback", deletes nothing locally and loses no secret', async () => {
    const work = await freshDir('open2fa-rollback-');
    const dbPath = join(work, 'live.db');
    const first = await server({ store: await openStore({ databaseUrl: `sqlite:${dbPath}` }) });
    const port = new URL(first.origin).port;
    const { uuid, a, b } = await syncedPair(first.origin);
    ok(await b.run('rename', 'GitHub', 'GitHub kept'));
    ok(await a.run('delete', '-f', 'GitHub'));
    ok(await a.run('remote', 'push'));
    // The old state: GitHub is a tombstone there.
    await backupSqlite(`sqlite:${dbPath}`, join(work, 'old.db'));
    expect((await b.run('remote', 'push')).exitCode).toBe(0); // the edit beats the stale delete
    ok(await a.run('add', BANK, 'Bank'));
    ok(await a.run('remote', 'push'));
    ok(await b.run('remote', 'pull'));
    const before = await b.entries();
    expect(before).toEqual([
      { name: 'Bank', secret: BANK },
      { name: 'GitHub kept', secret: GITHUB },
      { name: 'Mail', secret: MAIL },
    ]);

    // The server comes back from the old copy, at the same address.
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    await copyFile(join(work, 'old.db'), join(work, 'restored.db'));
    const store = await openStore({ databaseUrl: `sqlite:${join(work, 'restored.db')}` });
    const app = await buildApp({ store });
    await app.listen({ port: Number(port), host: '127.0.0.1' });
    servers.push({
      app,
      store,
      origin: first.origin,
      close: async () => {
        await app.close();
        await store.close();
      },
    });

    for (const who of [b, a]) {
      const pull = await who.run('remote', 'pull');
      expect(pull.exitCode).toBe(0);
      expect(pull.stderr).toMatch(/rollback/);
      expect(await who.entries()).toEqual(before);
    }
    const push = await b.run('remote', 'push');
    expect(push.stderr).toMatch(/rollback/);
    // Nothing was lost: a new device gets every secret back from the server.
    const c = await device(first.origin, uuid);
    ok(await c.run('remote', 'pull'));
    expect(await c.entries()).toEqual(before);
  });
});

describe('remote migrate and v1 entries', () => {
  it('pull reads v1 entries; migrate copies, verifies and removes them; again is a no-op', async () => {
    const { origin } = await server();
    const uuid = crypto.randomUUID();
    const old = await device(origin, uuid);
    const v1 = (...argv: string[]) =>
      runOpen2fa(argv, {
        env: { OPEN2FA_DIR: old.dir, OPEN2FA_API_URL: `${origin}/api/v1`, OPEN2FA_UUID: uuid, OPEN2FA_PROTOCOL: 'v1' },
      });
    ok(await v1('add', GITHUB, 'GitHub'));
    ok(await v1('add', MAIL, 'Mail'));
    ok(await v1('remote', 'push'));

    const b = await device(origin, uuid);
    expect(ok(await b.run('remote', 'pull')).stdout).toBe(
      `Pulled from ${origin}/api/v2/items: 0 new, 0 updated, 0 removed here; 2 new from v1 entries.\n`,
    );
    expect(await b.entries()).toEqual(await old.entries());
    expect(ok(await b.run('remote', 'info')).stdout).toContain('Remote v1 entries: 2 (move them with');

    expect(ok(await old.run('remote', 'migrate', '--yes')).stdout).toBe(
      'Migrated 2 v1 entries to v2 (2 copied, 0 already there); removed 2 v1 copies.\n',
    );
    expect(ok(await v1('remote', 'list')).stdout).toBe('No secrets are stored remotely for this Open2FA ID.\n');
    expect(JSON.parse(ok(await b.run('remote', 'list', '-s', '--json')).stdout)).toEqual(await old.entries());
    expect(ok(await old.run('remote', 'migrate', '--yes')).stdout).toBe('No v1 entries to migrate.\n');
    // B's copies (pulled from v1) are the same entries as the migrated items: no duplicates.
    ok(await b.run('remote', 'push'));
    expect(JSON.parse(ok(await b.run('remote', 'list', '--json')).stdout)).toHaveLength(2);
    expect(await b.entries()).toHaveLength(2);
  });
});

describe('what the server stores', () => {
  it('the database file holds no name, issuer or secret in any form', async () => {
    const work = await freshDir('open2fa-db-');
    const dbPath = join(work, 'server.db');
    const live = await server({ store: await openStore({ databaseUrl: `sqlite:${dbPath}` }) });
    const uuid = crypto.randomUUID();
    const a = await device(live.origin, uuid);
    const secret = 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA';
    const entries = [
      { secret, name: 'Zebra Bank', issuer: 'Quokka Issuer', account: 'walrus@example.org' },
      { secret, name: 'Zebra Bank backup' },
      { secret: GITHUB, name: 'Narwhal' },
    ];
    await writeFile(join(a.dir, 'secrets.json'), JSON.stringify({ secrets: entries }));
    ok(await a.run('remote', 'push'));
    await live.close();
    servers.splice(servers.indexOf(live), 1);

    const files = await Promise.all(
      ['', '-wal', '-shm'].map((suffix) => readFile(dbPath + suffix).catch(() => Buffer.alloc(0))),
    );
    const bytes = Buffer.concat(files);
    expect(bytes.length).toBeGreaterThan(0);
    const forms = (text: string): string[] => [text, text.toLowerCase(), text.toUpperCase()];
    const keyBytes = decodeBase32(secret);
    const needles = [
      ...forms('Zebra'),
      ...forms('Quokka'),
      ...forms('walrus'),
      ...forms('Narwhal'),
      ...forms(secret),
      ...forms(GITHUB),
      encodeHex(keyBytes),
      encodeBase64Url(keyBytes),
      Buffer.from(keyBytes).toString('base64'),
    ];
    for (const needle of needles) {
      expect(bytes.includes(Buffer.from(needle, 'utf8')), needle).toBe(false);
      expect(bytes.includes(Buffer.from(needle, 'utf16le')), needle).toBe(false);
    }
    expect(bytes.includes(Buffer.from(keyBytes))).toBe(false);
  });

  it('two entries with the same secret have different envelopes', async () => {
    const { origin } = await server();
    const uuid = crypto.randomUUID();
    const a = await device(origin, uuid);
    const same = { secret: GITHUB, name: 'Same' };
    await writeFile(join(a.dir, 'secrets.json'), JSON.stringify({ secrets: [same, { ...same, name: 'Same' }] }));
    ok(await a.run('remote', 'push'));
    const who = await credentials(uuid);
    const response = await fetch(`${origin}/api/v2/items`, {
      headers: { 'x-user-hash': who.id, authorization: `Bearer ${who.token}` },
    });
    const { items } = (await response.json()) as { items: { envelope: string }[] };
    expect(items).toHaveLength(2);
    expect(items[0]?.envelope).not.toBe(items[1]?.envelope);
    expect(items[0]?.envelope.length).toBe(items[1]?.envelope.length);
  });
});
