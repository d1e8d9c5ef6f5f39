import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fastCommand } from '../../src/cli/run-cli.js';
import { runProgram } from '../../src/cli/program.js';
import { runCli } from '../../src/cli/run-cli.js';
import { freshDir, harnessDeps, TextSink } from './cli-harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** TOTP, a second TOTP sharing a name part, and an HOTP entry whose counter `code` advances. */
const VAULT = JSON.stringify({
  secrets: [
    { secret: RFC_SECRET, name: 'GitHub' },
    { secret: 'JBSWY3DPEHPK3PXP', name: 'GitLab' },
    { secret: RFC_SECRET, name: 'Counter', type: 'hotp', counter: 1 },
  ],
});

async function vaultDir(contents: string | null = VAULT): Promise<string> {
  const dir = await freshDir();
  if (contents !== null) await writeFile(join(dir, 'secrets.json'), contents);
  return dir;
}

type Runner = typeof runCli;

/** One run in-process, and the secrets.json it left. */
async function runIn(runner: Runner, argv: readonly string[], contents: string | null) {
  const dir = await vaultDir(contents);
  const stdout = new TextSink();
  const stderr = new TextSink();
  const exitCode = await runner(argv, harnessDeps({ env: { OPEN2FA_DIR: dir }, stderr }, stdout));
  const file = await readFile(join(dir, 'secrets.json'), 'utf8').catch(() => null);
  // Each run has its own directory: messages that name the file are compared without it.
  const text = (output: string): string => output.replaceAll(dir, '<dir>');
  return { exitCode, stdout: text(stdout.text), stderr: text(stderr.text), file };
}

describe('the fast path of open2fa code and list', () => {
  it.each([
    [['code', 'GitHub'], true],
    [['code', 'git'], true],
    [['code', ''], true],
    [['list'], true],
    [['code'], false],
    [['code', '--copy', 'GitHub'], false],
    [['code', 'GitHub', '--copy'], false],
    [['code', '-n', 'GitHub'], false],
    [['code', '--', 'GitHub'], false],
    [['code', 'a', 'b'], false],
    [['list', '--json'], false],
    [['list', 'extra'], false],
    [['CODE', 'GitHub'], false],
    [['--help'], false],
    [[], false],
  ])('%j is fast: %s', (argv, fast) => {
    expect(fastCommand(argv) !== null).toBe(fast);
  });

  // Each form against commander's run of the same line, on a fresh copy of the same vault.
  it.each([
    [['code', 'GitHub'], VAULT],
    [['code', 'gitlab'], VAULT],
    [['code', 'Counter'], VAULT], // HOTP: prints counter 1's code and saves counter 2
    [['code', 'git'], VAULT], // ambiguous
    [['code', 'nothing'], VAULT],
    [['code', ''], VAULT],
    [['code', 'GitHub'], null], // no secrets.json
    [['code', 'GitHub'], '{"secrets": ['], // corrupt
    [['list'], VAULT],
    [['l'], VAULT],
    [['--list'], VAULT],
    [['list'], null],
    [['list'], '{"secrets": 3}'],
  ])('%j answers exactly as commander does (vault %#)', async (argv, contents) => {
    const fast = await runIn(runCli, argv, contents);
    const commander = await runIn(runProgram, argv, contents);
    expect(fast).toEqual(commander);
    expect(fast.stdout + fast.stderr).not.toBe('');
  });

  it('runs code and list from the built dist/ without loading commander (nor node:child_process)', async () => {
    const runCliModule = pathToFileURL(join(ROOT, 'dist', 'cli', 'run-cli.js')).href;
    const dir = await vaultDir();
    const loaded = async (argv: readonly string[]): Promise<{ status: number; childProcess: boolean }> => {
      const script =
        `const { runCli } = await import(${JSON.stringify(runCliModule)});` +
        `const deps = { env: { OPEN2FA_DIR: ${JSON.stringify(dir)} }, stdout: { write: () => true }, stderr: process.stderr,` +
        ` stdinIsTTY: false, isTTY: false, columns: () => undefined, rows: () => undefined, now: () => 59000,` +
        ` cwd: process.cwd() };` +
        `const status = await runCli(${JSON.stringify(argv)}, deps);` +
        `console.log(JSON.stringify({ status, childProcess: process.moduleLoadList.includes('NativeModule child_process') }));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        timeout: 10_000,
      });
      return JSON.parse(stdout) as { status: number; childProcess: boolean };
    };
    expect(await loaded(['code', 'GitHub'])).toEqual({ status: 0, childProcess: false });
    expect(await loaded(['list'])).toEqual({ status: 0, childProcess: false });
    // The same lines through commander load it: the check above can see the difference.
    expect(await loaded(['list', '--json'])).toEqual({ status: 0, childProcess: true });
  });

  // `npm run build` (and so `npm test`) builds the bundle; a missing one fails here.
  const bundle = join(ROOT, 'packages', 'cli', 'dist', 'open2fa.cjs');
  it('works in the bundle (packages/cli/dist, node scripts/build-cli.mjs): the fast path, and program.mjs beside it', async () => {
    const dir = await vaultDir();
    const run = async (argv: readonly string[]) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [bundle, ...argv], {
          env: { OPEN2FA_DIR: dir, PATH: process.env.PATH ?? '' },
          timeout: 10_000,
        });
        return { exitCode: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { exitCode: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    };
    expect((await run(['code', 'GitHub'])).stdout).toMatch(/^\d{6}\n$/);
    expect(await run(['code', 'git'])).toMatchObject({ exitCode: 2, stdout: '' });
    // HOTP takes the vault lock (proper-lockfile, loaded on first use): RFC 4226 appendix D, counters 1 and 2.
    expect((await run(['code', 'Counter'])).stdout).toBe('287082\n');
    expect((await run(['code', 'Counter'])).stdout).toBe('359152\n');
    expect((await run(['list'])).stdout).toContain('GitLab');
    const manifest = JSON.parse(await readFile(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await run(['--version'])).toEqual({ exitCode: 0, stdout: `${manifest.version}\n`, stderr: '' });
    expect((await run(['code', '--help'])).stdout).toMatch(/^Usage: open2fa code \[options\] \[name\]/);
  });

  // What `open2fa code NAME` in a script costs beyond Node's own start-up is mostly what it loads: the
  // stream stack (process.stdout on a pipe, node:tty), node:fs/promises and libuv's thread pool (an
  // asynchronous read), the ESM loader (an import() in the CommonJS bin). None of them is needed.
  it.each([
    ['a pipe', 'pipe'],
    ['/dev/null', 'ignore'],
  ] as const)(
    'the bundle runs `code NAME` with stdin %s without node:net, node:tty, streams, fs/promises or the ESM loader',
    async (_, stdin) => {
      const dir = await vaultDir();
      const report = join(dir, 'modules.json');
      const preload = join(dir, 'record-modules.cjs');
      await writeFile(
        preload,
        `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(process.moduleLoadList)));`,
      );
      const child = spawn(process.execPath, ['--require', preload, bundle, 'code', 'GitHub'], {
        env: { OPEN2FA_DIR: dir, PATH: process.env.PATH ?? '' },
        stdio: [stdin, 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      const [status] = (await once(child, 'close')) as [number];
      expect({ status, stdout }).toMatchObject({ status: 0, stdout: expect.stringMatching(/^\d{6}\n$/) as unknown });
      const loaded = JSON.parse(await readFile(report, 'utf8')) as string[];
      const unwanted = [
        'NativeModule net',
        'NativeModule tty',
        'NativeModule stream',
        'NativeModule fs/promises',
        'NativeModule internal/modules/esm/loader',
      ];
      expect(unwanted.filter((name) => loaded.includes(name))).toEqual([]);
      // The record sees them when they are loaded: `list --json` goes through commander and program.mjs.
      const viaCommander = spawn(process.execPath, ['--require', preload, bundle, 'list', '--json'], {
        env: { OPEN2FA_DIR: dir, PATH: process.env.PATH ?? '' },
        stdio: [stdin, 'pipe', 'pipe'],
      });
      viaCommander.stdout?.resume();
      expect((await once(viaCommander, 'close'))[0]).toBe(0);
      expect(JSON.parse(await readFile(report, 'utf8'))).toContain('NativeModule internal/modules/esm/loader');
    },
  );

  it("runs the bundle from V8's code cache the build wrote, which this Node accepts", async () => {
    const probe =
      `const { compileCli } = require(${JSON.stringify(join(dirname(bundle), 'cli-loader.cjs'))});` +
      `const withCache = compileCli(true).script;` +
      `const without = compileCli(false).script;` +
      `console.log(JSON.stringify({ withCache: withCache.cachedDataRejected, without: without.cachedDataRejected ?? null }));`;
    // The environment the build's cache run had: V8 flags in NODE_OPTIONS would make V8 refuse the cache.
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', probe], {
      env: { PATH: process.env.PATH ?? '' },
      timeout: 10_000,
    });
    // false: the cache was given and taken; undefined (null here) when none was given.
    expect(JSON.parse(stdout)).toEqual({ withCache: false, without: null });
  });
});
