import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServerCommand, type ServerProcess } from '../helpers/server-process.js';
import { requireCommands, run, slowSuiteEnabled, substitute } from './deploy-tools.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UNIT = join(ROOT, 'deploy/open2fa-server.service');
const tools = requireCommands(['systemd-analyze', 'git'] as const, 'systemd unit');

/** What `systemd-analyze verify` says about our unit (it may also mention units of the machine). */
async function verify(unit: string): Promise<{ code: number | null; about: string[] }> {
  const result = await run(tools?.['systemd-analyze'] ?? 'systemd-analyze', ['verify', unit]);
  const about = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.includes('open2fa'));
  return { code: result.code, about };
}

/** The overall exposure systemd-analyze security gives the unit, 0.0 (safe) to 10.0 (exposed). */
async function exposure(unit: string): Promise<{ code: number | null; score: number; report: string }> {
  const result = await run(tools?.['systemd-analyze'] ?? 'systemd-analyze', [
    'security',
    '--offline=true',
    '--threshold=25',
    '--no-pager',
    unit,
  ]);
  const score = Number(/Overall exposure level for open2fa-server\.service: (\d+\.\d)/.exec(result.stdout)?.[1] ?? NaN);
  return { code: result.code, score, report: result.stdout };
}

describe.skipIf(tools === null)('deploy/open2fa-server.service', () => {
  it('passes systemd-analyze verify', async () => {
    expect(await verify(UNIT)).toEqual({ code: 0, about: [] });
  });

  it('is rated 2.5 or lower by systemd-analyze security', async () => {
    const { code, score, report } = await exposure(UNIT);
    expect(score, report).toBeLessThanOrEqual(2.5);
    // --threshold=25: the command itself fails above 2.5.
    expect(code, report).toBe(0);
  });
});

/**
 * The "Install with systemd" block of docs/deploy.md, run line by line in a temporary prefix: every
 * absolute path of the install (/opt/open2fa, /etc/systemd/system) moves under the prefix; `useradd` and
 * `systemctl` are left out (they change the machine, and no systemd runs as PID 1 here). Everything else
 * runs as written, from this checkout (`git archive HEAD`: the committed tree). npm may use its cache.
 * Slow (it compiles better-sqlite3): always in CI, elsewhere with TEST_INSTALL=1.
 */
const installRuns = tools !== null && slowSuiteEnabled('TEST_INSTALL', 'the systemd install steps of docs/deploy.md');

describe.skipIf(!installRuns)('the systemd install steps of docs/deploy.md', () => {
  let prefix = '';
  let server: ServerProcess | undefined;
  beforeAll(() => {
    prefix = mkdtempSync(join(tmpdir(), 'open2fa-install-'));
  });
  afterAll(async () => {
    await server?.kill();
    if (prefix !== '') rmSync(prefix, { recursive: true, force: true });
  });

  it('installs the server, which then starts as the unit would start it', { timeout: 900_000 }, async () => {
    const steps = installSteps();
    expect(steps).toMatch(/^npm run build/m);
    const machineChanges = /^(useradd|systemctl) .*$/gm;
    expect(steps.match(machineChanges)).toHaveLength(3);
    let script = steps.replace(machineChanges, ': left out by the test: $&');
    script = substitute(script, /\/opt\/open2fa/g, `${prefix}/opt/open2fa`);
    script = substitute(script, /\/etc\/systemd\/system\//g, `${prefix}/etc/systemd/system/`);
    mkdirSync(join(prefix, 'etc/systemd/system'), { recursive: true });

    const result = await run('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: ROOT,
      env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);

    const installed = join(prefix, 'opt/open2fa');
    // Production dependencies only, with the native SQLite module compiled; dist/ built.
    expect(existsSync(join(installed, 'node_modules/typescript'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(installed, 'dist/server/main.js'))).toBe(true);
    expect(existsSync(join(installed, 'LICENSE'))).toBe(true);

    const unitPath = join(prefix, 'etc/systemd/system/open2fa-server.service');
    expect(await verify(unitPath)).toEqual({ code: 0, about: [] });
    expect((await exposure(unitPath)).score).toBeLessThanOrEqual(2.5);

    // As the unit runs it: ExecStart, WorkingDirectory, Environment= and the $STATE_DIRECTORY that
    // StateDirectory=open2fa sets (the port moved to a free one).
    const unit = readFileSync(unitPath, 'utf8');
    const [program = '', ...args] = (/^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '').split(' ');
    const environment = Object.fromEntries(
      [...unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
    );
    const stateDirectory = join(prefix, 'var/lib/open2fa');
    mkdirSync(stateDirectory, { recursive: true, mode: 0o700 });
    server = await spawnServerCommand(
      program,
      args.map((arg) => arg.replace('/opt/open2fa', installed)),
      { ...environment, STATE_DIRECTORY: stateDirectory, PORT: '0' },
      (/^WorkingDirectory=(.*)$/m.exec(unit)?.[1] ?? '').replace('/opt/open2fa', installed),
    );
    expect((await fetch(`${server.origin}/readyz`)).status).toBe(200);
    expect(statSync(join(stateDirectory, 'open2fa.db')).mode & 0o777).toBe(0o600);
    // LOG_FORMAT=json in the unit: the journal gets JSON lines.
    const firstLine = server.output().split('\n')[0] ?? '';
    expect(JSON.parse(firstLine)).toMatchObject({ level: 30 });
  });
});

/** The shell block after the "runs this block" marker in docs/deploy.md. */
function installSteps(): string {
  const docs = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
  const block = /<!-- test\/deploy\/systemd\.test\.ts runs this block[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(docs);
  if (block?.[1] === undefined) throw new Error('docs/deploy.md has no install block marked for the test');
  return block[1];
}
