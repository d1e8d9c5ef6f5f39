import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer, type TestServer } from '../../../helpers/test-server.js';
import vectors from '../../../vectors/open2fa-v1.json' with { type: 'json' };
import { fakeTerminalInput, freshDir, runOpen2fa, type CliRun } from '../../cli-harness.js';

let server: TestServer;
let apiUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  apiUrl = `${server.origin}/api/v1`;
});
afterAll(async () => {
  await server.close();
});

/**
 * One device: its own OPEN2FA_DIR, talking to the test server. These tests pin the legacy v1 wire
 * format (OPEN2FA_PROTOCOL=v1); protocol v2, the default, is covered by sync-v2.test.ts.
 */
async function device(extraEnv: Record<string, string> = {}): Promise<{
  dir: string;
  run: (...argv: string[]) => Promise<CliRun>;
}> {
  const dir = await freshDir();
  const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: apiUrl, OPEN2FA_PROTOCOL: 'v1', ...extraEnv };
  return { dir, run: (...argv) => runOpen2fa(argv, { env }) };
}

function expectOk(run: CliRun): CliRun {
  expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return run;
}

/** A random UUID per test, so tests sharing the server never share a user. */
function freshUuid(): string {
  return globalThis.crypto.randomUUID();
}

describe('two devices in sync through a real server', () => {
  it('A inits, adds and pushes; B pulls the same secrets and codes; B remote delete is seen by A', async () => {
    const a = await device();
    const init = expectOk(await a.run('remote', 'init'));
    const uuid = await readFile(join(a.dir, 'open2fa.uuid'), 'utf8');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await stat(join(a.dir, 'open2fa.uuid'))).mode & 0o777).toBe(0o600);
    expect(init.stdout).toContain(`Remote capabilities initialized with UUID: ${uuid}\n`);

    expectOk(await a.run('add', 'JBSWY3DPEHPK3PXP', 'GitHub'));
    expectOk(await a.run('add', 'I65VU7K5ZQL7WB4E', 'Mail'));
    expect(expectOk(await a.run('r', 'pus')).stdout).toBe(
      `Pushed 2 secret(s) to ${apiUrl}/totps; 2 stored remotely.\n`,
    );

    const b = await device({ OPEN2FA_UUID: uuid });
    expect(expectOk(await b.run('remote', 'pull')).stdout).toBe(
      'Pulled 2 new secret(s) from remote; 0 already stored locally.\n',
    );
    expect(expectOk(await b.run('list', '-s', '--json')).stdout).toBe(
      expectOk(await a.run('list', '-s', '--json')).stdout,
    );
    expect(expectOk(await b.run('generate', '--json')).stdout).toBe(expectOk(await a.run('generate', '--json')).stdout);
    expect(expectOk(await b.run('remote', 'pull')).stdout).toBe(
      'Pulled 0 new secret(s) from remote; 2 already stored locally.\n',
    );

    const deleted = expectOk(await b.run('remote', 'delete', '-n', 'GitHub'));
    expect(deleted.stdout).toMatch(/^Deleted 1 secret\(s\) from remote\.\nThe local copy is kept/);
    const remaining = JSON.parse(expectOk(await a.run('remote', 'list', '--json', '-s')).stdout) as unknown;
    expect(remaining).toEqual([{ name: 'Mail', secret: 'I65VU7K5ZQL7WB4E' }]);
    expect(JSON.parse(expectOk(await b.run('list', '--json')).stdout)).toHaveLength(2);
  });

  it('sends the 1.x wire format: the Open2FA ID as X-User-Hash and the deterministic ciphertext', async () => {
    const vector = vectors.cases[0];
    if (vector === undefined) throw new Error('no vector');
    const encryption = vector.encryptions[0];
    if (encryption === undefined) throw new Error('no vector');
    // The vector UUID is shared by every run of this test: start from a clean slate on this server.
    const a = await device({ OPEN2FA_UUID: vector.uuid });
    expectOk(await a.run('add', encryption.secret, 'Vector'));
    expectOk(await a.run('remote', 'push'));
    const response = await fetch(`${apiUrl}/totps`, { headers: { 'X-User-Hash': vector.id } });
    expect(await response.json()).toEqual({ totps: [{ enc_secret: encryption.enc_secret, name: 'Vector' }] });
    const info = expectOk(await a.run('remote', 'info', '-s'));
    expect(info.stdout).toContain(`Open2FA ID: ${vector.id}\n`);
    expect(info.stdout).toContain(`Open2FA Secret: ${vector.key_b58}\n`);
    expect(info.stdout).toContain('Remote secrets: 1\n');
    // A secret not stored locally can still be deleted remotely: its ciphertext is deterministic.
    const other = await device({ OPEN2FA_UUID: vector.uuid });
    expect(expectOk(await other.run('remote', 'delete', '-s', encryption.secret)).stdout).toMatch(/^Deleted 1 /);
  });

  it('warns about an entry it cannot decrypt, keeps the others, and exits 1', async () => {
    const uuid = freshUuid();
    const a = await device({ OPEN2FA_UUID: uuid });
    expectOk(await a.run('add', 'JBSWY3DPEHPK3PXP', 'Good'));
    expectOk(await a.run('remote', 'push'));
    const id = (JSON.parse(expectOk(await a.run('info', '-s', '--json')).stdout) as { id: string }).id;
    await fetch(`${apiUrl}/totps`, {
      method: 'POST',
      headers: { 'X-User-Hash': id, 'Content-Type': 'application/json' },
      body: JSON.stringify({ totps: [{ enc_secret: 'GiRVCWuSBPaVM7xfER9h6xx', name: 'Foreign' }] }),
    });
    const b = await device({ OPEN2FA_UUID: uuid });
    const pull = await b.run('remote', 'pull');
    expect(pull.exitCode).toBe(1);
    expect(pull.stdout).toBe('Pulled 1 new secret(s) from remote; 0 already stored locally.\n');
    expect(pull.stderr).toBe(
      'warning: cannot decrypt the remote entry Foreign (was it pushed with another UUID?)\n' +
        'open2fa: error: 1 remote entry could not be decrypted\n',
    );
    expect(JSON.parse(expectOk(await b.run('list', '--json', '-s')).stdout)).toEqual([
      { name: 'Good', secret: 'JBSWY3DPEHPK3PXP' },
    ]);
  });

  it('handles an ID the server has never seen', async () => {
    const b = await device({ OPEN2FA_UUID: freshUuid() });
    expect(expectOk(await b.run('remote', 'pull')).stdout).toMatch(/^Nothing is stored remotely/);
    expect(expectOk(await b.run('remote', 'list')).stdout).toBe(
      'No secrets are stored remotely for this Open2FA ID.\n',
    );
    expect(expectOk(await b.run('remote', 'info')).stdout).toContain('Remote secrets: 0\n');
  });
});

describe('remote init', () => {
  it('keeps an existing UUID, from the environment or the file', async () => {
    const env = await device({ OPEN2FA_UUID: freshUuid() });
    expect(expectOk(await env.run('remote', 'ini')).stdout).toBe(
      'Open2FA is already initialized with a UUID (OPEN2FA_UUID is set).\n',
    );
    const file = await device();
    expectOk(await file.run('remote', 'init', '-y'));
    const uuid = await readFile(join(file.dir, 'open2fa.uuid'), 'utf8');
    expect(expectOk(await file.run('remote', 'init')).stdout).toMatch(/already initialized .*found .*open2fa\.uuid/);
    expect(await readFile(join(file.dir, 'open2fa.uuid'), 'utf8')).toBe(uuid);
  });

  it('asks on a terminal, and a "no" creates nothing', async () => {
    const dir = await freshDir();
    const stdin = fakeTerminalInput();
    const running = runOpen2fa(['remote', 'init'], { env: { OPEN2FA_DIR: dir }, stdin, stdinIsTTY: true });
    stdin.write('n\r');
    const run = await running;
    expect(run.stderr.startsWith('Do you want to initialize remote capabilities of Open2FA? (y/n): n')).toBe(true);
    expect(run.stdout).toBe('Remote initialization cancelled.\n');
    await expect(stat(join(dir, 'open2fa.uuid'))).rejects.toThrow();
  });
});

describe('remote failures', () => {
  it('asks for a UUID when there is none (exit 1)', async () => {
    const a = await device();
    for (const command of ['push', 'pull', 'list', 'info']) {
      expect(await a.run('remote', command)).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: 'open2fa: error: no Open2FA UUID: run `open2fa remote init` or set OPEN2FA_UUID\n',
      });
    }
  });

  it('speaks v2 unless OPEN2FA_PROTOCOL=v1, and rejects unknown protocols with exit 2', async () => {
    const uuid = freshUuid();
    const v2 = await device({ OPEN2FA_UUID: uuid, OPEN2FA_PROTOCOL: '' });
    expectOk(await v2.run('add', 'JBSWY3DPEHPK3PXP', 'GitHub'));
    expect(expectOk(await v2.run('remote', 'push')).stdout).toMatch(
      /^Pushed 1 change\(s\) and 0 deletion\(s\) to .*\/api\/v2\/items;/,
    );
    // Nothing went to the v1 resource.
    const v1 = await device({ OPEN2FA_UUID: uuid });
    expect(expectOk(await v1.run('remote', 'list')).stdout).toBe(
      'No secrets are stored remotely for this Open2FA ID.\n',
    );
    const bad = await device({ OPEN2FA_UUID: freshUuid(), OPEN2FA_PROTOCOL: 'v9' });
    expect(await bad.run('remote', 'pull')).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'open2fa: error: OPEN2FA_PROTOCOL must be one of v1, v2, got v9\n',
    });
  });

  it('refuses `remote migrate` under OPEN2FA_PROTOCOL=v1 (exit 2) and leaves the v1 entries', async () => {
    const a = await device({ OPEN2FA_UUID: freshUuid() });
    expectOk(await a.run('add', 'JBSWY3DPEHPK3PXP', 'GitHub'));
    expectOk(await a.run('remote', 'push'));
    expect(await a.run('remote', 'migrate')).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        'open2fa: error: remote migrate moves v1 entries into protocol v2 items, but OPEN2FA_PROTOCOL=v1 is set: ' +
        'unset it to migrate\n',
    });
    expect(JSON.parse(expectOk(await a.run('remote', 'list', '--json')).stdout)).toHaveLength(1);
  });

  it('reports an unreachable server in one line naming the URL (exit 1)', async () => {
    const closed = await startTestServer();
    const url = `${closed.origin}/api/v1`;
    await closed.close();
    const dir = await freshDir();
    const run = await runOpen2fa(['remote', 'pull'], {
      env: { OPEN2FA_DIR: dir, OPEN2FA_API_URL: `${url}/`, OPEN2FA_UUID: freshUuid(), OPEN2FA_PROTOCOL: 'v1' },
    });
    expect(run).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `open2fa: error: cannot reach the open2fa server at ${url}/totps (ECONNREFUSED); check OPEN2FA_API_URL\n`,
    });
  });

  it('reports a 4xx with the status and the detail (exit 1)', async () => {
    const dir = await freshDir();
    const run = await runOpen2fa(['remote', 'push'], {
      env: {
        OPEN2FA_DIR: dir,
        OPEN2FA_API_URL: `${server.origin}/wrong`,
        OPEN2FA_UUID: freshUuid(),
        OPEN2FA_PROTOCOL: 'v1',
      },
    });
    expect(run).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        `open2fa: error: the open2fa server at ${server.origin}/wrong/totps answered 404 Not Found: Not Found; ` +
        `OPEN2FA_API_URL looks like a path that is not an open2fa API (/wrong): did you mean ${server.origin} ` +
        `(or ${server.origin}/api/v1)?\n`,
    });
  });

  it('reports a 5xx and a malformed answer (exit 1), never a stack', async () => {
    const fake = await startFakeServer();
    const dir = await freshDir();
    const env = { OPEN2FA_DIR: dir, OPEN2FA_UUID: freshUuid(), OPEN2FA_PROTOCOL: 'v1' };
    const failing = await runOpen2fa(['remote', 'list'], { env: { ...env, OPEN2FA_API_URL: `${fake}/fail` } });
    expect(failing).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `open2fa: error: the open2fa server at ${fake}/fail/totps answered 500 Internal Server Error: Internal Server Error\n`,
    });
    const garbled = await runOpen2fa(['remote', 'list'], { env: { ...env, OPEN2FA_API_URL: `${fake}/garbled` } });
    expect(garbled).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `open2fa: error: the open2fa server at ${fake}/garbled/totps sent an unexpected answer (bad "totps")\n`,
    });
  });
});

/** A server that misbehaves on purpose: `/fail/…` answers 500, `/garbled/…` a wrong JSON shape. */
async function startFakeServer(): Promise<string> {
  const fake: Server = createServer((request, response) => {
    const failing = request.url?.startsWith('/fail') === true;
    response.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(failing ? { detail: 'Internal Server Error' } : { totps: 'nope' }));
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        fake.close(() => {
          resolve();
        });
      }),
  );
  const address = fake.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${String(address.port)}`;
}
