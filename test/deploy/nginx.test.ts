import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request as http1 } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import { request as https1 } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptV1, deriveV1Credentials, encryptV1, randomUuid } from '../../src/core/index.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { freePort, requireCommands, run, substitute } from './deploy-tools.js';

/**
 * deploy/nginx.conf, used the way docs/deploy.md says: dropped into conf.d/ of Debian's own nginx.conf,
 * checked with `nginx -t`, then serving TLS in front of a real open2fa-server.
 *
 * The temporary prefix mirrors /etc/nginx. What the test changes, and only that:
 * - in Debian's /etc/nginx/nginx.conf: its absolute paths (/etc/nginx, /var/log/nginx, /run/nginx.pid)
 *   point into the prefix, and the temporary-file folders (compiled in as /var/lib/nginx, root's) too;
 *   sites-enabled/ stays empty (Debian's default site would take port 80);
 * - in deploy/nginx.conf: the listen lines become 127.0.0.1 and free high ports (the [::] lines go: a
 *   test machine may have no IPv6), the upstream's 127.0.0.1:8000 becomes the test server's port, the
 *   certificate is the one made here, and the access log is in the prefix.
 */
const tools = requireCommands(['nginx', 'openssl'] as const, 'nginx deployment');
const DEBIAN_NGINX_CONF = '/etc/nginx/nginx.conf';
const SERVER_NAME = 'open2fa.example.org';
const METRICS_TOKEN = 'scrape-token-for-the-test';

/** Every spelling of the metrics path that Fastify routes to /metrics (checked below), and some it does not. */
const METRICS_SPELLINGS = [
  '/metrics',
  '/metrics/',
  '/metrics?x=1',
  '/metrics/?x=1',
  '//metrics',
  '/%6Detrics',
  '/%6detrics',
  '/metric%73',
  '/METRICS',
  '/Metrics',
  '/./metrics',
  '/api/../metrics',
  '/metrics;x',
  '/metrics%2F',
];

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

describe.skipIf(tools === null)('deploy/nginx.conf on Debian nginx', () => {
  let prefix = '';
  let certificate = '';
  let server: ServerProcess | undefined;
  let nginx: ChildProcess | undefined;
  let nginxOutput = '';
  let ports = { http: 0, https: 0 };

  beforeAll(async () => {
    if (tools === null) return;
    prefix = mkdtempSync(join(tmpdir(), 'open2fa-nginx-'));
    // Debian's nginx.conf says `user www-data`: when the tests run as root, the workers are www-data
    // and must reach the prefix (its private key is readable by root only).
    chmodSync(prefix, 0o755);
    certificate = await makeCertificate(tools.openssl, prefix);
    server = await spawnServer({
      DATABASE_URL: `sqlite:${join(prefix, 'open2fa.db')}`,
      TRUST_PROXY: '127.0.0.1',
      METRICS_TOKEN,
    });
    ports = { http: await freePort(), https: await freePort() };
    layOutPrefix(prefix, Number(new URL(server.origin).port), ports);
  }, 60_000);

  afterAll(async () => {
    const running = nginx;
    if (running?.exitCode === null && running.signalCode === null) {
      const exited = new Promise((resolve) => running.once('close', resolve));
      running.kill('SIGTERM');
      await exited;
    }
    await server?.kill();
    if (prefix !== '') rmSync(prefix, { recursive: true, force: true });
  });

  const configPath = (): string => join(prefix, 'etc/nginx/nginx.conf');

  it('passes nginx -t', async () => {
    const result = await run(tools?.nginx ?? 'nginx', ['-t', '-p', `${prefix}/`, '-c', configPath()]);
    expect(result.stderr).toContain('syntax is ok');
    expect(result.stderr).toContain('test is successful');
    expect(result.code).toBe(0);
  });

  it('proxies a v1 push and pull over TLS, with HSTS and the security headers', async () => {
    await startNginx();
    const uuid = randomUuid();
    const { id, key } = await deriveV1Credentials(uuid);
    const encSecret = await encryptV1(key, 'JBSWY3DPEHPK3PXP');
    const pushed = await tls('/api/v1/totps', {
      method: 'POST',
      headers: { 'x-user-hash': id, 'content-type': 'application/json' },
      body: JSON.stringify({ totps: [{ enc_secret: encSecret, name: 'GitHub' }] }),
    });
    expect(pushed.status, pushed.body).toBe(200);
    expect(JSON.parse(pushed.body)).toMatchObject({ user_created: true });

    const pulled = await tls('/api/v1/totps', { headers: { 'x-user-hash': id } });
    expect(pulled.status).toBe(200);
    const { totps } = JSON.parse(pulled.body) as { totps: { enc_secret: string; name: string | null }[] };
    expect(await Promise.all(totps.map((totp) => decryptV1(key, totp.enc_secret)))).toEqual(['JBSWY3DPEHPK3PXP']);

    // HSTS from nginx, exactly once (the server sends none by default), and the server's own headers
    // passed through: the API set on API answers, the page set (COOP, the page's CSP) on the page.
    const page = await tls('/');
    expect(page.status).toBe(200);
    for (const answer of [pulled, page]) {
      expect(answer.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.headers.server).toBe('nginx');
    }
    expect(pulled.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(pulled.headers['cache-control']).toBe('no-store');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    // The access log has the request line, never the Open2FA ID of the header.
    const accessLog = readFileSync(join(prefix, 'log/open2fa.access.log'), 'utf8');
    expect(accessLog).toContain('"POST /api/v1/totps HTTP/1.1" 200');
    expect(accessLog).not.toContain(id);
  });

  it('speaks HTTP/2 (the `http2` flag of the listen line) and redirects plain HTTP to HTTPS', async () => {
    await startNginx();
    expect(await overHttp2('/api/v1/')).toEqual({ status: 200, body: '{"status":"ok"}' });
    const redirect = await plain('/api/v1/totps?x=1');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`https://${SERVER_NAME}/api/v1/totps?x=1`);
  });

  it('refuses every spelling of /metrics that the server itself would answer', async () => {
    await startNginx();
    const authorization = `Bearer ${METRICS_TOKEN}`;
    const served: string[] = [];
    for (const path of METRICS_SPELLINGS) {
      const direct = await plainTo(Number(new URL(server?.origin ?? '').port), path, { authorization });
      if (direct.status === 200) served.push(path);
      const proxied = await tls(path, { headers: { authorization } });
      expect(proxied.status, path).toBe(404);
      expect(proxied.body, path).not.toContain('open2fa_users');
      expect(proxied.headers['strict-transport-security'], path).toBeDefined();
    }
    // What Fastify routes to /metrics: the test would prove nothing if the server refused them all.
    expect(served).toEqual([
      '/metrics',
      '/metrics/',
      '/metrics?x=1',
      '/metrics/?x=1',
      '/%6Detrics',
      '/%6detrics',
      '/metric%73',
    ]);
  });

  async function startNginx(): Promise<void> {
    if (nginx !== undefined) return;
    const child = spawn(tools?.nginx ?? 'nginx', ['-p', `${prefix}/`, '-c', configPath(), '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nginx = child;
    child.stdout.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString('utf8')));
    const deadline = Date.now() + 10_000;
    while (!(await accepts(ports.https))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`nginx did not start:\n${nginxOutput}\n${readErrorLog()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  function readErrorLog(): string {
    try {
      return readFileSync(join(prefix, 'log/error.log'), 'utf8');
    } catch {
      return '(no error log)';
    }
  }

  function tls(path: string, options: RequestOptions = {}): Promise<Answer> {
    return exchange(
      https1({
        host: '127.0.0.1',
        port: ports.https,
        servername: SERVER_NAME,
        ca: certificate,
        path,
        method: options.method ?? 'GET',
        headers: { host: SERVER_NAME, ...options.headers },
        agent: false,
      }),
      options.body,
    );
  }

  function plain(path: string): Promise<Answer> {
    return plainTo(ports.http, path, { host: SERVER_NAME });
  }

  async function overHttp2(path: string): Promise<{ status: number; body: string }> {
    const session = http2Connect(`https://${SERVER_NAME}:${String(ports.https)}`, {
      ca: certificate,
      host: '127.0.0.1',
      servername: SERVER_NAME,
      lookup: (_host, _options, callback) => {
        callback(null, '127.0.0.1', 4);
      },
    });
    try {
      return await new Promise((resolve, reject) => {
        session.once('error', reject);
        const stream = session.request({ ':path': path });
        let status = 0;
        let body = '';
        stream.on('response', (headers) => {
          status = Number(headers[':status']);
        });
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => {
          resolve({ status, body });
        });
        stream.on('error', reject);
      });
    } finally {
      session.close();
    }
  }
});

/**
 * deploy/compose-proxy.conf, the proxy of compose.yaml, in the same Debian layout (the image's own
 * nginx.conf includes conf.d/*.conf in its http block the same way). Changed: the upstream `server:8000`
 * (Docker's DNS name of the scaled service) becomes two real servers on one database, the replicas of
 * `--scale server=2`, and the listen port a free one.
 */
describe.skipIf(tools === null)('deploy/compose-proxy.conf', () => {
  let prefix = '';
  let nginx: ChildProcess | undefined;
  const servers: ServerProcess[] = [];
  let port = 0;

  beforeAll(async () => {
    prefix = mkdtempSync(join(tmpdir(), 'open2fa-compose-proxy-'));
    chmodSync(prefix, 0o755);
    const env = { DATABASE_URL: `sqlite:${join(prefix, 'open2fa.db')}`, TRUST_PROXY: '1', RATE_LIMIT_MAX: '0' };
    servers.push(await spawnServer(env));
    servers.push(await spawnServer(env));
    port = await freePort();
    const etc = layOutDebianNginx(prefix);
    let site = readFileSync(new URL('../../deploy/compose-proxy.conf', import.meta.url), 'utf8');
    site = substitute(
      site,
      /^ {4}server server:8000 (.*)$/m,
      servers.map((server) => `    server 127.0.0.1:${new URL(server.origin).port} $1`).join('\n'),
    );
    site = substitute(site, /^ {4}listen 8000;$/m, `    listen 127.0.0.1:${String(port)};`);
    writeFileSync(join(etc, 'conf.d/default.conf'), site);
  }, 60_000);

  afterAll(async () => {
    const running = nginx;
    if (running?.exitCode === null && running.signalCode === null) {
      const exited = new Promise((resolve) => running.once('close', resolve));
      running.kill('SIGTERM');
      await exited;
    }
    await Promise.all(servers.map((server) => server.kill()));
    if (prefix !== '') rmSync(prefix, { recursive: true, force: true });
  });

  it('passes nginx -t, spreads requests over both replicas and refuses /metrics', async () => {
    const configPath = join(prefix, 'etc/nginx/nginx.conf');
    const check = await run(tools?.nginx ?? 'nginx', ['-t', '-p', `${prefix}/`, '-c', configPath]);
    expect(check.code, check.stderr).toBe(0);
    const child = spawn(tools?.nginx ?? 'nginx', ['-p', `${prefix}/`, '-c', configPath, '-g', 'daemon off;'], {
      stdio: 'ignore',
    });
    nginx = child;
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error('nginx did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const uuid = randomUuid();
    const { id, key } = await deriveV1Credentials(uuid);
    const body = JSON.stringify({ totps: [{ enc_secret: await encryptV1(key, 'JBSWY3DPEHPK3PXP'), name: null }] });
    const pushed = await exchange(
      http1({
        host: '127.0.0.1',
        port,
        path: '/api/v1/totps',
        method: 'POST',
        headers: { 'x-user-hash': id, 'content-type': 'application/json' },
        agent: false,
      }),
      body,
    );
    expect(pushed.status, pushed.body).toBe(200);
    for (let index = 0; index < 8; index++) {
      expect((await plainTo(port, '/api/v1/totps', { 'x-user-hash': id })).status).toBe(200);
    }
    // least_conn with idle servers goes round: each replica answered some of the pulls.
    await Promise.all(servers.map((server) => server.kill('SIGTERM')));
    for (const server of servers) expect(server.output()).toContain('"url":"/api/v1/totps"');
    // With both servers gone, a proxied path would be a 502: these 404s are nginx's own.
    for (const path of ['/metrics', '/metrics/', '/%6Detrics', '//metrics']) {
      expect((await plainTo(port, path, {})).status, path).toBe(404);
    }
  });
});

interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

function plainTo(port: number, path: string, headers: Record<string, string>): Promise<Answer> {
  return exchange(http1({ host: '127.0.0.1', port, path, headers, agent: false }));
}

function exchange(request: ReturnType<typeof http1>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

/** A self-signed certificate for SERVER_NAME; returns its PEM (the test's only trusted CA). */
async function makeCertificate(openssl: string, prefix: string): Promise<string> {
  const result = await run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${SERVER_NAME}`,
    '-addext',
    `subjectAltName=DNS:${SERVER_NAME}`,
    '-keyout',
    join(prefix, 'privkey.pem'),
    '-out',
    join(prefix, 'fullchain.pem'),
  ]);
  if (result.code !== 0) throw new Error(`openssl failed:\n${result.stderr}`);
  chmodSync(join(prefix, 'privkey.pem'), 0o600);
  return readFileSync(join(prefix, 'fullchain.pem'), 'utf8');
}

/** Debian's nginx layout under `prefix`, with deploy/nginx.conf as conf.d/open2fa.conf (see the top). */
function layOutPrefix(prefix: string, upstreamPort: number, ports: { http: number; https: number }): void {
  const etc = layOutDebianNginx(prefix);
  let site = readFileSync(new URL('../../deploy/nginx.conf', import.meta.url), 'utf8');
  site = substitute(site, /^ {4}listen 80;$/m, `    listen 127.0.0.1:${String(ports.http)};`);
  site = substitute(site, /^ {4}listen 443 ssl http2;$/m, `    listen 127.0.0.1:${String(ports.https)} ssl http2;`);
  site = substitute(site, /^ {4}listen \[::\]:(80|443 ssl http2);\n/gm, '');
  site = substitute(site, 'server 127.0.0.1:8000 ', `server 127.0.0.1:${String(upstreamPort)} `);
  site = substitute(site, `/etc/letsencrypt/live/${SERVER_NAME}/`, `${prefix}/`);
  site = substitute(site, '/var/log/nginx/open2fa.access.log', `${prefix}/log/open2fa.access.log`);
  writeFileSync(join(etc, 'conf.d/open2fa.conf'), site);
}

/** Debian's /etc/nginx under `prefix` (see the top), with empty conf.d/ and sites-enabled/; returns its etc/nginx. */
function layOutDebianNginx(prefix: string): string {
  const etc = join(prefix, 'etc/nginx');
  for (const folder of ['conf.d', 'sites-enabled', 'modules-enabled'])
    mkdirSync(join(etc, folder), { recursive: true });
  mkdirSync(join(prefix, 'log'));
  mkdirSync(join(prefix, 'tmp'));
  copyFileSync('/etc/nginx/mime.types', join(etc, 'mime.types'));
  for (const module of safeList('/etc/nginx/modules-enabled')) {
    copyFileSync(join('/etc/nginx/modules-enabled', module), join(etc, 'modules-enabled', module));
  }

  let main = readFileSync(DEBIAN_NGINX_CONF, 'utf8');
  main = substitute(main, '/etc/nginx/', `${etc}/`);
  main = substitute(main, '/var/log/nginx/', `${prefix}/log/`);
  main = substitute(main, '/run/nginx.pid', `${prefix}/nginx.pid`);
  const temporary = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `\t${kind}_temp_path ${prefix}/tmp/${kind};`)
    .join('\n');
  main = substitute(main, /^http \{$/m, `http {\n${temporary}`);
  writeFileSync(join(etc, 'nginx.conf'), main);
  return etc;
}

function safeList(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}
