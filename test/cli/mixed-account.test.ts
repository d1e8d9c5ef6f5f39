import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBase32 } from '../../src/core/encoding.js';
import { totpCode } from '../../src/core/otp/otp.js';
import { encryptV1 } from '../../src/core/v1/cipher.js';
import { deriveV1Credentials } from '../../src/core/v1/keys.js';
import { Open2fa1x, pythonB32decode, PythonTraceback } from '../helpers/open2fa-1x.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { freshDir, runOpen2fa, type CliRun } from './cli-harness.js';

// Issue #16: the unchanged 1.x workflow (test/helpers/open2fa-1x.ts) and this CLI with default
// settings on one account, in both directions, with every kind of secret the CLI accepts.

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function ok(run: CliRun): CliRun {
  expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return run;
}

/** What the CLI accepts, as typed, and the form secrets.json must hold (null: not for 1.x). */
const CLI_ADDS = [
  { typed: 'gezd gnbv gy3t qojq', name: 'Bank', stored: 'GEZDGNBVGY3TQOJQ', v1: true },
  { typed: 'MFRGGZDFMZTWQ2LKNNWG23TPOA', name: 'Shop', stored: 'MFRGGZDFMZTWQ2LKNNWG23TPOA======', v1: true },
  { typed: 'nbswy3dpo5xxe3de', name: 'Lower', stored: 'nbswy3dpo5xxe3de', v1: true },
  {
    typed: 'otpauth://hotp/Ops:me?secret=KRSXG5CTMVRXEZLU&counter=3',
    name: 'Ops:me',
    stored: 'KRSXG5CTMVRXEZLU',
    v1: false,
  },
  {
    typed: 'otpauth://totp/Cloud:me?secret=ONSWG4TFOQYTEMZU&algorithm=SHA256&digits=8',
    name: 'Cloud:me',
    stored: 'ONSWG4TFOQYTEMZU',
    v1: false,
  },
  {
    typed: 'otpauth://steam/Steam:me?secret=OBQXG43XN5ZGIMJS',
    name: 'Steam:me',
    stored: 'OBQXG43XN5ZGIMJS',
    v1: false,
  },
] as const;

describe('a mixed account: open2fa 1.x and this CLI (default settings)', () => {
  it('both see every secret they can use, once, with no traceback, in both directions', async () => {
    const server = await startTestServer();
    servers.push(server);
    const v1Url = `${server.origin}/api/v1`;
    const uuid = crypto.randomUUID();

    // Device A: the 1.x client pushes two secrets.
    const oldDir = await freshDir();
    const old = await Open2fa1x.open(oldDir, v1Url, uuid);
    await old.add('JBSWY3DPEHPK3PXP', 'GitHub');
    await old.add('I65VU7K5ZQL7WB4E', 'Mail');
    await old.push();

    // Device B: this CLI, given the server's base URL, no other setting.
    const dir = await freshDir();
    const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: server.origin, OPEN2FA_UUID: uuid };
    const run = (...argv: string[]): Promise<CliRun> => runOpen2fa(argv, { env });
    const listed = ok(await run('remote', 'list'));
    expect(listed.stdout).toContain('v1 entries (what open2fa 1.x clients see):');
    expect(listed.stdout).toMatch(/GitHub/);
    expect(ok(await run('remote', 'info')).stdout).toMatch(/Account mode: mixed: the server holds 2 v1 entries/);

    for (const add of CLI_ADDS) {
      const args = add.typed.startsWith('otpauth:') ? [add.typed] : [add.typed, add.name];
      ok(await run('add', ...args));
    }
    ok(await run('remote', 'pull'));
    const pushed = ok(await run('remote', 'push'));
    expect(pushed.stdout).toContain('5 secret(s) in v1 too (3 written, 0 removed); 3 that 1.x cannot use');

    // secrets.json holds what 1.x decodes.
    const file = JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8')) as { secrets: { secret: string }[] };
    for (const add of CLI_ADDS) expect(file.secrets.map((s) => s.secret)).toContain(add.stored);
    for (const { secret } of file.secrets) expect(() => pythonB32decode(secret)).not.toThrow();

    // The 1.x client pulls what the CLI pushed, for every secret it can use, with the CLI's codes.
    const now = Date.UTC(2026, 0, 1, 12);
    const oldAgain = await Open2fa1x.open(oldDir, v1Url, uuid);
    await oldAgain.pull();
    const afterPull = await Open2fa1x.open(oldDir, v1Url, uuid, now);
    const names = afterPull.list().map((s) => s.name);
    expect(names).toEqual(['Bank', 'GitHub', 'Lower', 'Mail', 'Shop']);
    const codes = afterPull.generate(now);
    for (const { name, code } of codes) {
      const secret = afterPull.secrets.find((s) => s.name === name)?.secret ?? '';
      expect(code).toBe(totpCode({ secret, algorithm: 'SHA1', digits: 6, period: 30 }, now));
    }

    // The 1.x client on the directory this CLI wrote: list, generate, add, push and pull all run.
    const copy = await freshDir();
    await cp(dir, copy, { recursive: true });
    const onCli = await Open2fa1x.open(copy, v1Url, uuid, now);
    expect(onCli.list()).toHaveLength(8);
    expect(onCli.generate(now)).toHaveLength(8);
    await onCli.add('ORSXG5BRGIZTINJW', 'Late');
    await expect(onCli.push()).resolves.toBeDefined();
    await expect(onCli.pull()).resolves.toBeDefined();
    // What 1.x does with the extra keys: ignores them, and drops them when it writes the file.
    const rewritten = JSON.parse(await readFile(join(copy, 'secrets.json'), 'utf8')) as { secrets: object[] };
    for (const entry of rewritten.secrets) expect(Object.keys(entry)).toEqual(['secret', 'name']);

    // Back on B: the secret 1.x added arrives, nothing twice.
    ok(await run('remote', 'pull'));
    const local = JSON.parse(ok(await run('list', '-s', '--json')).stdout) as { name: string }[];
    expect(local.map((s) => s.name).sort()).toEqual(
      ['Bank', 'Cloud:me', 'GitHub', 'Late', 'Lower', 'Mail', 'Ops:me', 'Shop', 'Steam:me'].sort(),
    );

    // remote delete reaches both copies: 1.x no longer sees it, and a pull does not bring it back.
    expect(ok(await run('remote', 'delete', '-n', 'Bank')).stdout).toMatch(
      /^Deleted 1 secret\(s\) and 1 v1 copy from remote\./,
    );
    const fresh = await Open2fa1x.open(await freshDir(), v1Url, uuid);
    expect((await fresh.pull()).map((s) => s.name)).not.toContain('Bank');
  });

  it('a delete or rename here reaches the v1 copy, and a push cut off between v2 and v1 finishes when run again', async () => {
    const server = await startTestServer();
    servers.push(server);
    const v1Url = `${server.origin}/api/v1`;
    const uuid = crypto.randomUUID();
    const old = await Open2fa1x.open(await freshDir(), v1Url, uuid);
    await old.add('JBSWY3DPEHPK3PXP', 'GitHub');
    await old.add('I65VU7K5ZQL7WB4E', 'Mail');
    await old.add('KRSXG5CTMVRXEZLU', 'Bank');
    await old.push();
    const seen1x = async (): Promise<(string | null)[]> =>
      (await (await Open2fa1x.open(await freshDir(), v1Url, uuid)).pull()).map((s) => s.name).sort();

    const dir = await freshDir();
    const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: server.origin, OPEN2FA_UUID: uuid };
    const run = (...argv: string[]): Promise<CliRun> => runOpen2fa(argv, { env });
    /** A push whose first v1 request of `method` never reaches the server (the network drops). */
    const cutOff = (method: string, ...argv: string[]): Promise<CliRun> => {
      let dropped = false;
      const fetch: typeof globalThis.fetch = (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (!dropped && init?.method === method && url.endsWith('/api/v1/totps')) {
          dropped = true;
          return Promise.reject(new TypeError('fetch failed'));
        }
        return globalThis.fetch(input, init);
      };
      return runOpen2fa(argv, { env, fetch });
    };
    ok(await run('remote', 'pull'));
    ok(await run('remote', 'push'));

    // A local delete, pushed: the v2 deletion goes out, the v1 one is cut off.
    ok(await run('delete', '-f', '-n', 'GitHub'));
    expect((await cutOff('DELETE', 'remote', 'push')).exitCode).not.toBe(0);
    expect(await seen1x()).toEqual(['Bank', 'GitHub', 'Mail']);
    // A pull meanwhile does not bring it back, and the push run again removes the v1 copy.
    ok(await run('remote', 'pull'));
    expect(ok(await run('list', '--json')).stdout).not.toContain('GitHub');
    expect(ok(await run('remote', 'push')).stdout).toContain('2 secret(s) in v1 too (0 written, 1 removed)');
    expect(await seen1x()).toEqual(['Bank', 'Mail']);

    // A rename, pushed, with the v1 write cut off: run again, 1.x sees the new name only.
    ok(await run('rename', 'Mail', 'Mail ✉ work'));
    expect((await cutOff('POST', 'remote', 'push')).exitCode).not.toBe(0);
    expect(await seen1x()).toEqual(['Bank', 'Mail']);
    expect(ok(await run('remote', 'push')).stdout).toContain('2 secret(s) in v1 too (1 written, 0 removed)');
    expect(await seen1x()).toEqual(['Bank', 'Mail ✉ work']);

    // 1.x renames the way it can (delete, add under the new name, push): the CLI takes the name.
    const renamer = await Open2fa1x.open(await freshDir(), v1Url, uuid);
    await renamer.pull();
    await renamer.remove({ name: 'Bank' });
    await renamer.add('KRSXG5CTMVRXEZLU', 'Bank (old)');
    await renamer.push();
    expect(ok(await run('remote', 'pull')).stdout).toContain('Took 1 rename(s) made by open2fa 1.x clients.');
    expect(ok(await run('remote', 'push')).stdout).toContain('2 secret(s) in v1 too (0 written, 0 removed)');
    const remote = JSON.parse(ok(await run('remote', 'list', '--json')).stdout) as { name: string; protocol: string }[];
    expect(remote.map((s) => `${s.protocol} ${s.name}`).sort()).toEqual([
      'v1 Bank (old)',
      'v1 Mail ✉ work',
      'v2 Bank (old)',
      'v2 Mail ✉ work',
    ]);
    expect(await seen1x()).toEqual(['Bank (old)', 'Mail ✉ work']);

    // A v1 name is anyone's who knows the Open2FA ID: one with control characters is not taken.
    await renamer.pull();
    await renamer.remove({ name: 'Bank (old)' });
    await renamer.add('KRSXG5CTMVRXEZLU', 'Bank\u001b[2J');
    await renamer.push();
    expect(ok(await run('remote', 'pull')).stdout).not.toContain('Took');
    ok(await run('remote', 'push'));
    expect(await seen1x()).toEqual(['Bank (old)', 'Mail ✉ work']);
  });

  it('a v1 copy an older CLI pushed unpadded (a 1.x traceback) is replaced by one 1.x decodes, renames included', async () => {
    const server = await startTestServer();
    servers.push(server);
    const v1Url = `${server.origin}/api/v1`;
    const uuid = crypto.randomUUID();
    const { id, key } = await deriveV1Credentials(uuid);
    // What an older version of this CLI left: the secret as typed, in secrets.json and in its v1 copy.
    const response = await fetch(`${v1Url}/totps`, {
      method: 'POST',
      headers: { 'X-User-Hash': id, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        totps: [{ enc_secret: await encryptV1(key, 'MFRGGZDFMZTWQ2LKNNWG23TPOA'), name: 'Shop' }],
      }),
    });
    expect(response.status).toBe(200);
    const dir = await freshDir();
    await writeFile(
      join(dir, 'secrets.json'),
      '{"secrets": [{"secret": "MFRGGZDFMZTWQ2LKNNWG23TPOA", "name": "Shop"}]}',
    );
    const pull1x = async (): Promise<(string | null)[]> =>
      (await (await Open2fa1x.open(await freshDir(), v1Url, uuid)).pull()).map((s) => s.name);
    await expect(pull1x()).rejects.toThrow(new PythonTraceback('binascii.Error: Incorrect padding'));

    const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: server.origin, OPEN2FA_UUID: uuid };
    const run = (...argv: string[]): Promise<CliRun> => runOpen2fa(argv, { env });
    expect(ok(await run('remote', 'push')).stdout).toContain('1 secret(s) in v1 too (1 written, 1 removed)');
    expect(await pull1x()).toEqual(['Shop']);
    ok(await run('rename', 'Shop', 'Shop 🛒'));
    ok(await run('remote', 'push'));
    expect(await pull1x()).toEqual(['Shop 🛒']);
  });

  it('remote migrate explains the cost and, with no terminal and no --yes, exits 2', async () => {
    const server = await startTestServer();
    servers.push(server);
    const uuid = crypto.randomUUID();
    const old = await Open2fa1x.open(await freshDir(), `${server.origin}/api/v1`, uuid);
    await old.add('JBSWY3DPEHPK3PXP', 'GitHub');
    await old.push();
    const dir = await freshDir();
    const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: `${server.origin}/api/v2`, OPEN2FA_UUID: uuid };
    const knownCopies = async (): Promise<unknown[]> => {
      const file = JSON.parse(await readFile(join(dir, 'v1-copies.json'), 'utf8')) as {
        accounts: Record<string, Record<string, unknown>>;
      };
      return Object.values(file.accounts).flatMap((copies) => Object.values(copies));
    };
    ok(await runOpen2fa(['remote', 'pull'], { env }));
    expect(await knownCopies()).toEqual([{ name: 'GitHub', mirrored: true }]);
    const refused = await runOpen2fa(['remote', 'migrate'], { env });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/1\.x clients .* will no longer see the migrated secrets.*--yes/);
    const migrated = ok(await runOpen2fa(['remote', 'migrate', '--yes'], { env }));
    expect(migrated.stdout).toMatch(/^Migrated 1 v1 entry to v2/);
    // Mixed mode is over: nothing this device knew of v1 copies is kept to act on later.
    expect(await knownCopies()).toEqual([]);
    expect(ok(await runOpen2fa(['remote', 'info'], { env })).stdout).toMatch(
      /Account mode: v2: the server holds no v1 entry/,
    );
    await expect((await Open2fa1x.open(await freshDir(), `${server.origin}/api/v1`, uuid)).pull()).resolves.toEqual([]);
  });

  it('the faithful 1.x helper fails where 1.x does: spaces and missing padding', () => {
    expect(() => pythonB32decode('jbsw y3dp ehpk 3pxp')).toThrow(
      new PythonTraceback('binascii.Error: Incorrect padding'),
    );
    expect(() => pythonB32decode('JBSW Y3DPEHPK3PX')).toThrow(
      new PythonTraceback('binascii.Error: Non-base32 digit found'),
    );
    expect(() => pythonB32decode('MFRGGZDFMZTWQ2LKNNWG23TPOA')).toThrow(PythonTraceback);
    expect(pythonB32decode('jbswy3dpehpk3pxp')).toEqual(decodeBase32('JBSWY3DPEHPK3PXP'));
  });
});
