import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { run, slowSuiteEnabled, substitute, type RunResult } from './deploy-tools.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER_ONLY = ['better-sqlite3', 'fastify', 'pg', 'ioredis', 'kysely', 'pino', 'prom-client'];
const GITHUB = 'JBSWY3DPEHPK3PXP';

/**
 * The "Install the CLI" block of README.md, run as written in a fresh copy of the committed tree
 * (`git archive HEAD`), with `npm install -g` pointed at an empty prefix and npm kept offline where it
 * can be (its cache). Slow (`npm ci` compiles better-sqlite3): always in CI, elsewhere with TEST_INSTALL=1.
 */
const installRuns = slowSuiteEnabled('TEST_INSTALL', 'the CLI install steps of README.md');

describe.skipIf(!installRuns)('the CLI package, installed as README.md says', () => {
  let work = '';
  let server: TestServer | undefined;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'open2fa-cli-install-'));
  });
  afterAll(async () => {
    await server?.close();
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it(
    'packs from a fresh clone and installs a working open2fa with no native or server module',
    { timeout: 900_000 },
    async () => {
      const clone = join(work, 'clone');
      const prefix = join(work, 'prefix');
      mkdirSync(clone);
      mkdirSync(prefix);
      execFileSync('bash', ['-c', `git archive HEAD | tar -x -C ${JSON.stringify(clone)}`], { cwd: ROOT });

      const steps = installSteps();
      expect(steps).toMatch(/^npm ci$/m);
      const script = substitute(
        steps,
        /^npm install -g /m,
        `npm install -g --prefix ${JSON.stringify(prefix)} --offline `,
      );
      const result = await run('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: clone,
        env: {
          ...process.env,
          // `npm install -g` puts open2fa in PREFIX/bin, which a shell then finds on its PATH.
          PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
          npm_config_prefer_offline: 'true',
          npm_config_update_notifier: 'false',
          npm_config_fund: 'false',
          npm_config_audit: 'false',
        },
      });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/^0\.\d+\.\d+$/m);

      const installed = join(prefix, 'lib/node_modules/open2fa');
      const files = listFiles(installed);
      expect(files.filter((file) => file.endsWith('.node'))).toEqual([]);
      // No dependency at all: the bundle carries what it uses.
      expect(existsSync(join(installed, 'node_modules'))).toBe(false);
      expect(files.filter((file) => SERVER_ONLY.some((name) => file.includes(name)))).toEqual([]);
      expect(files).toContain('LICENSE');
      expect(readFileSync(join(installed, 'dist/THIRD-PARTY-LICENSES.txt'), 'utf8')).toMatch(/^commander@/m);
      expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));

      const home = join(work, 'home');
      mkdirSync(home);
      const open2fa = (args: string[], env: Record<string, string> = {}): Promise<RunResult> =>
        run(join(prefix, 'bin/open2fa'), args, {
          env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...env },
        });
      const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
      expect(await open2fa(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });

      expect(await open2fa(['add', GITHUB, 'GitHub'])).toMatchObject({ code: 0, stderr: '' });
      const before = Date.now();
      const code = await open2fa(['code', 'github']);
      const after = Date.now();
      expect(code).toMatchObject({ code: 0, stderr: '' });
      const totp = new TOTP({ secret: GITHUB });
      const expected = new Set([totp.generate({ timestamp: before }), totp.generate({ timestamp: after })]);
      expect(expected).toContain(code.stdout.trim());

      server = await startTestServer();
      const uuid = crypto.randomUUID();
      const remote = { OPEN2FA_API_URL: `${server.origin}/api/v1`, OPEN2FA_UUID: uuid };
      const push = await open2fa(['remote', 'push'], remote);
      expect(push).toMatchObject({ code: 0, stderr: '' });
      expect(push.stdout).toMatch(/^Pushed 1 change\(s\)/);
      // Another device (an empty vault, the same UUID) gets the secret back from the server.
      const other = { ...remote, OPEN2FA_DIR: join(work, 'other-device') };
      expect(await open2fa(['remote', 'pull'], other)).toMatchObject({ code: 0, stderr: '' });
      const pulled = await open2fa(['list', '-s', '--json'], other);
      expect(JSON.parse(pulled.stdout)).toEqual([{ name: 'GitHub', secret: GITHUB }]);
    },
  );
});

/** Every file under `dir`, relative to it. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}

/** The shell block after the "runs this block" marker in README.md's "Install the CLI". */
function installSteps(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- test\/deploy\/cli-package\.test\.ts runs this block[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme);
  if (block?.[1] === undefined) throw new Error('README.md has no CLI install block marked for the test');
  return block[1];
}
