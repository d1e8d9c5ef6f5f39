import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSettings } from '../../src/server/settings.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

const servers: ServerProcess[] = [];
const directories: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.kill()));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** `ENV A=1 B=2` lines of the final stage of the Dockerfile. */
function dockerRuntime(): { env: Record<string, string>; cmd: string[]; user: string } {
  const stages = read('Dockerfile').split(/^FROM /m);
  const final = stages[stages.length - 1] ?? '';
  const env: Record<string, string> = {};
  for (const line of final.match(/^ENV .*$/gm) ?? []) {
    for (const pair of line.slice(4).trim().split(/\s+/)) {
      const [key, ...value] = pair.split('=');
      if (key !== undefined) env[key] = value.join('=');
    }
  }
  const cmd = JSON.parse(/^CMD (.*)$/m.exec(final)?.[1] ?? '[]') as string[];
  const user = /^USER (\S+)$/m.exec(final)?.[1] ?? 'root';
  return { env, cmd, user };
}

describe('deployment files', () => {
  it('the Dockerfile runs as a non-root user with production dependencies and valid settings', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toContain('npm ci --omit=dev');
    const runtime = dockerRuntime();
    expect(runtime.user).not.toBe('root');
    expect(runtime.cmd).toEqual(['node', 'bin/open2fa-server']);
    expect(readSettings(runtime.env).status).toBe('ok');
  });

  it("the container's command serves on a fresh build", async () => {
    const { env, cmd } = dockerRuntime();
    expect(cmd[1]).toBe('bin/open2fa-server');
    const directory = mkdtempSync(join(tmpdir(), 'open2fa-container-'));
    directories.push(directory);
    // The image's environment, with the data volume and the port moved to places a test may use.
    const server = await spawnServer({
      ...env,
      DATABASE_URL: `sqlite:${join(directory, 'open2fa.db')}`,
      HOST: '127.0.0.1',
      PORT: '0',
    });
    servers.push(server);
    expect((await fetch(`${server.origin}/readyz`)).status).toBe(200);
  });

  it('compose.yaml and the systemd unit set only valid settings', () => {
    const compose = read('compose.yaml');
    const serverBlock = /server:\n([\s\S]*?)\n {2}postgres:/.exec(compose)?.[1] ?? '';
    const env = Object.fromEntries(
      [...serverBlock.matchAll(/^ {6}([A-Z_]+): '?([^'\n]*)'?$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
    );
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'HOST', 'PORT']));
    expect(readSettings(env).status).toBe('ok');

    const unit = read('deploy/open2fa-server.service');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/open2fa\/bin\/open2fa-server$/m);
    expect(unit).toMatch(/^User=open2fa$/m);
    const unitEnv = Object.fromEntries(
      [...unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
    );
    expect(readSettings(unitEnv).status).toBe('ok');
  });

  it('the nginx example forwards the client address the server is told to trust', () => {
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    expect(nginx).toContain('client_max_body_size 1m;');
    expect(nginx).toContain('Strict-Transport-Security');
  });
});
