import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveV1Credentials, randomUuid } from '../../src/core/index.js';
import { openServerLogger } from '../../src/server/server-logger.js';
import { SERVER_BIN, serverFixtures } from '../helpers/server-process.js';
import { V1TestClient } from '../helpers/v1-client.js';

const { start, freshDirectory } = serverFixtures('open2fa-ops-');

/** Runs `open2fa-server ARGS` to completion. */
function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('open2fa-server commands', () => {
  it('--help lists every setting and command; --version prints the version', async () => {
    const help = await run(['--help'], {});
    expect(help.code).toBe(0);
    for (const name of [
      'PORT',
      'HOST',
      'DATABASE_URL',
      'LOG_LEVEL',
      'REDIS_URL',
      'TRUST_PROXY',
      'METRICS_TOKEN',
      'unset: /metrics is 404',
      'LOG_FORMAT',
      'XDG_DATA_HOME',
      'STATE_DIRECTORY',
      'migrate',
      'backup FILE',
    ]) {
      expect(help.stdout).toContain(name);
    }
    const version = await run(['--version'], {});
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) as string });
    expect((await run(['frobnicate'], {})).code).toBe(2);
  });

  it('migrate creates the schema and exits', async () => {
    const path = join(freshDirectory(), 'fresh.db');
    const result = await run(['migrate'], { DATABASE_URL: `sqlite:${path}` });
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('latest migration') as string });
    expect(statSync(path).size).toBeGreaterThan(0);
  });

  it('backs up a live database that restores with every acknowledged write', async () => {
    const directory = freshDirectory();
    const live = `sqlite:${join(directory, 'live.db')}`;
    const server = await start({ DATABASE_URL: live, RATE_LIMIT_MAX: '0' });
    const uuid = randomUuid();
    const client = new V1TestClient(`${server.origin}/api/v1`, uuid);
    const before = [{ secret: 'JBSWY3DPEHPK3PXP', name: 'before backup' }];
    await client.push(before);
    // Writes keep landing while the backup runs.
    const load = { writing: true };
    const writer = (async () => {
      for (let index = 0; load.writing && index < 200; index++) {
        await client.push([
          {
            secret: `AAAAAAAAAAAAAA${String.fromCharCode(65 + (index % 26), 65 + Math.floor(index / 26))}`,
            name: null,
          },
        ]);
      }
    })();
    const backupPath = join(directory, 'backup.db');
    const backup = await run(['backup', backupPath], { DATABASE_URL: live });
    load.writing = false;
    await writer;
    expect(backup.code).toBe(0);
    expect(statSync(backupPath).mode & 0o777).toBe(0o600);

    // Restore: start a server on the copy; it holds at least everything acknowledged before the backup.
    const restored = await start({ DATABASE_URL: `sqlite:${backupPath}` });
    const entries = await new V1TestClient(`${restored.origin}/api/v1`, uuid).pull();
    expect(entries.slice(0, 1)).toEqual(before);
    expect(new Set(entries.map((entry) => entry.secret)).size).toBe(entries.length);
  });

  it('backup refuses PostgreSQL and a missing database with a clear message', async () => {
    const pg = await run(['backup', '/tmp/x.db'], { DATABASE_URL: 'postgres://u@127.0.0.1:1/db' });
    expect(pg.code).toBe(1);
    expect(pg.stderr).toContain('pg_dump');
    const missing = await run(['backup', '/tmp/x.db'], { DATABASE_URL: `sqlite:${join(freshDirectory(), 'none.db')}` });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no database at');
    expect((await run(['backup'], {})).code).toBe(2);
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const server = await start({ DATABASE_URL: `sqlite:${join(freshDirectory(), 'term.db')}` });
    const body = JSON.stringify({ totps: [{ enc_secret: 'slowly-uploaded', name: 'in flight' }] });
    const url = new URL(`${server.origin}/api/v1/totps`);
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const outgoing = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-user-hash': 'slowclient',
          },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => {
            resolve({ status: response.statusCode ?? 0, body: text });
          });
        },
      );
      outgoing.on('error', reject);
      // Half the body now, the rest after the signal: the request is in flight when SIGTERM lands. The
      // signal waits until the server has logged the request, or a busy server could see it first and
      // refuse the request as arriving during shutdown (503), which is right but not this test's case.
      outgoing.write(body.slice(0, 20));
      const received = setInterval(() => {
        if (!server.output().includes('incoming request')) return;
        clearInterval(received);
        server.child.kill('SIGTERM');
        setTimeout(() => outgoing.end(body.slice(20)), 500);
      }, 20);
    });
    const response = await answer;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ totps: [{ enc_secret: 'slowly-uploaded', name: 'in flight' }] });
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
  });

  it('LOG_FORMAT=pretty writes readable lines, and still no ID or body', async () => {
    const server = await start({ DATABASE_URL: `sqlite:${join(freshDirectory(), 'pretty.db')}`, LOG_FORMAT: 'pretty' });
    const uuid = randomUuid();
    const client = new V1TestClient(`${server.origin}/api/v1`, uuid);
    const { id } = await deriveV1Credentials(uuid);
    await client.push([{ secret: 'JBSWY3DPEHPK3PXP', name: 'pretty-name' }]);
    await server.kill('SIGTERM');
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.some((line) => /INFO.*Server listening at http:\/\/127\.0\.0\.1:\d+/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('request completed'))).toBe(true);
    for (const line of lines) expect(() => JSON.parse(line) as unknown, line).toThrow();
    expect(server.output()).not.toContain(id);
    expect(server.output()).not.toContain('pretty-name');
  });

  it.each(['json', 'auto'])('LOG_FORMAT=%s writes JSON lines when stdout is not a terminal', async (format) => {
    const server = await start({ DATABASE_URL: `sqlite:${join(freshDirectory(), 'json.db')}`, LOG_FORMAT: format });
    await fetch(`${server.origin}/healthz`);
    await server.kill('SIGTERM');
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number) as number });
  });

  it('keeps its database out of the working directory by default, under systemd in $STATE_DIRECTORY', async () => {
    const cwd = freshDirectory();
    const state = freshDirectory();
    const server = await start({ STATE_DIRECTORY: state, HOME: freshDirectory() }, cwd);
    expect((await fetch(`${server.origin}/readyz`)).status).toBe(200);
    expect(statSync(join(state, 'open2fa.db')).isFile()).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
    const homeless = await run([], { PORT: '0' });
    expect(homeless.code).toBe(2);
    expect(homeless.stderr).toContain('DATABASE_URL: no data directory: set DATABASE_URL, XDG_DATA_HOME or HOME');
  });
});

describe('openServerLogger', () => {
  it('writes pretty lines to a terminal and JSON lines elsewhere', async () => {
    for (const isTTY of [true, false]) {
      const chunks: string[] = [];
      const output = Object.assign(
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk.toString('utf8'));
            callback();
          },
        }),
        { isTTY },
      );
      const log = await openServerLogger('info', 'auto', output);
      log.info({ req: { headers: { 'x-user-hash': 'secret-id' } } }, 'hello');
      log.flush();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const text = chunks.join('');
      expect(text).toContain('hello');
      expect(text).not.toContain('secret-id');
      if (isTTY) expect(() => JSON.parse(text) as unknown).toThrow();
      else expect(JSON.parse(text)).toMatchObject({ msg: 'hello' });
    }
  });
});
