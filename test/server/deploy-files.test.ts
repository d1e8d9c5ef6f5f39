import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
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

/** `ENV A=1 B=2` lines of the final stage of the Dockerfile, its command, user and health check. */
function dockerRuntime(): { env: Record<string, string>; cmd: string[]; user: string; healthcheck: string[] } {
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
  const healthcheck = JSON.parse(/^HEALTHCHECK .*? CMD (\[.*\])$/m.exec(final)?.[1] ?? '[]') as string[];
  return { env, cmd, user, healthcheck };
}

/** The services of compose.yaml, each as the text of its block (two-space indented keys under `services:`). */
function composeServices(): Record<string, string> {
  const services = /^services:\n([\s\S]*?)(?=^\S)/m.exec(read('compose.yaml'))?.[1] ?? '';
  return Object.fromEntries(
    [...services.matchAll(/^ {2}([a-z-]+):\n((?: {4}.*\n|\n)*)/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
  );
}

/** Runs the health check of the image, as Docker would (exec form, the container's environment). */
function runHealthcheck(command: readonly string[], env: Record<string, string>): Promise<number | null> {
  const [program, ...args] = command;
  expect(program).toBe('node');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
    child.on('close', resolve);
  });
}

describe('deployment files', () => {
  it('the Dockerfile runs as a non-root user with production dependencies and valid settings', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^RUN npm prune --omit=dev/m);
    expect(dockerfile).toMatch(/^COPY LICENSE/m);
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

  it("the image's health check follows PORT", async () => {
    const { env, healthcheck } = dockerRuntime();
    const directory = mkdtempSync(join(tmpdir(), 'open2fa-container-'));
    directories.push(directory);
    const server = await spawnServer({
      ...env,
      DATABASE_URL: `sqlite:${join(directory, 'open2fa.db')}`,
      HOST: '127.0.0.1',
      PORT: '0',
    });
    servers.push(server);
    const port = new URL(server.origin).port;
    expect(port).not.toBe('8000');
    // Healthy at the port the server was given, unhealthy at the image's default where nothing listens.
    expect(await runHealthcheck(healthcheck, { ...env, PORT: port })).toBe(0);
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => {
          resolve(free);
        });
      });
    });
    expect(await runHealthcheck(healthcheck, { ...env, PORT: String(closed) })).toBe(1);
  });

  it('compose.yaml scales the server: only the proxy has a host port, and it reaches every replica', () => {
    const services = composeServices();
    expect(Object.keys(services).sort()).toEqual(['postgres', 'proxy', 'redis', 'server']);
    const server = services.server ?? '';
    // A fixed host port (or container_name) on the scaled service makes the second replica fail to start.
    expect(server).not.toMatch(/^ {4}(ports|container_name):/m);
    expect(server).toMatch(/^ {4}expose:\n {6}- '8000'$/m);
    for (const [name, block] of Object.entries(services)) {
      if (name !== 'proxy') expect(block, name).not.toMatch(/^ {4}ports:/m);
    }
    expect(services.proxy).toMatch(/^ {4}ports:\n {6}- '127\.0\.0\.1:8000:8000'$/m);
    const mount = /^ {6}- \.\/(deploy\/[a-z-]+\.conf):\/etc\/nginx\/conf\.d\/default\.conf:ro$/m.exec(
      services.proxy ?? '',
    );
    expect(mount?.[1]).toBe('deploy/compose-proxy.conf');
    const proxyConf = read(mount?.[1] ?? '');
    expect(proxyConf).toMatch(/^ {4}server server:8000 /m);
    expect(proxyConf).toMatch(/^ {4}listen 8000;$/m);
    expect(proxyConf).toMatch(/^ {4}location ~\* \^\/metrics \{$/m);

    const env = Object.fromEntries(
      [...server.matchAll(/^ {6}([A-Z_]+): '?([^'\n]*)'?$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
    );
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'HOST', 'PORT', 'TRUST_PROXY', 'LOG_FORMAT']),
    );
    expect(env.PORT).toBe('8000');
    expect(readSettings(env).status).toBe('ok');
  });

  it('the systemd unit sets only valid settings and keeps its data in the StateDirectory', () => {
    const unit = read('deploy/open2fa-server.service');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/open2fa\/bin\/open2fa-server$/m);
    expect(unit).toMatch(/^User=open2fa$/m);
    const unitEnv = Object.fromEntries(
      [...unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
    );
    expect(unit).toMatch(/^StateDirectory=open2fa$/m);
    expect(unitEnv.DATABASE_URL).toBeUndefined();
    // What systemd sets for StateDirectory=open2fa: the default database goes there.
    expect(readSettings({ ...unitEnv, STATE_DIRECTORY: '/var/lib/open2fa' })).toMatchObject({
      status: 'ok',
      settings: { databaseUrl: 'sqlite:/var/lib/open2fa/open2fa.db', host: '127.0.0.1', port: 8000 },
    });
  });

  it('the nginx example forwards the client address the server is told to trust', () => {
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
    expect(nginx).toContain('client_max_body_size 1m;');
    expect(nginx).toContain('Strict-Transport-Security');
    // nginx 1.22 (Debian 12): HTTP/2 is a flag of `listen`; the `http2` directive came in 1.25.1.
    expect(nginx).not.toMatch(/^\s*http2\s/m);
    expect(nginx).toMatch(/^ {4}listen 443 ssl http2;$/m);
    // A complete file for conf.d/ (inside Debian's http block): no events/http block of its own.
    expect(nginx).not.toMatch(/^\s*(events|http)\s*\{/m);
  });

  it('ships the MIT license in the repository and in the package', () => {
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 open2fa contributors\n/);
    const manifest = JSON.parse(read('package.json')) as {
      files: string[];
      license: string;
      scripts: Record<string, string>;
    };
    expect(manifest.license).toBe('MIT');
    expect(manifest.files).toContain('LICENSE');
    // Installing never builds (npm ci --omit=dev has no tsc); packing does.
    expect(manifest.scripts.prepare).toBeUndefined();
    expect(manifest.scripts.prepack).toBe('npm run build');
    expect(manifest.scripts.start).toMatch(/^npm run build && /);
  });

  it("names the server package apart from the CLI package, so neither tarball nor bin takes the other's place", () => {
    const server = JSON.parse(read('package.json')) as { name: string; bin: Record<string, string> };
    const cli = JSON.parse(read('packages/cli/package.json')) as { name: string; bin: Record<string, string> };
    expect(server.name).toBe('open2fa-server');
    expect(cli.name).toBe('open2fa');
    expect(Object.keys(server.bin)).toEqual(['open2fa-server']);
    expect(Object.keys(cli.bin)).toEqual(['open2fa']);
  });
});
