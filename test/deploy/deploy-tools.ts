import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

/** Where a command is: PATH, then the sbin folders a non-root PATH on Debian leaves out (nginx lives there). */
export function findCommand(name: string): string | null {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  for (const folder of folders.filter((entry) => entry !== '')) {
    try {
      accessSync(join(folder, name), constants.X_OK);
      return join(folder, name);
    } catch {
      // not in this folder
    }
  }
  return null;
}

function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false';
}

/**
 * The commands' paths, or `null` when one is missing. In CI a missing command is a failure, not a
 * skip (.ci/run installs them); elsewhere the suite is skipped with a loud reason, like PostgreSQL's.
 */
export function requireCommands<const Names extends readonly string[]>(
  names: Names,
  suite: string,
): Record<Names[number], string> | null {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const path = findCommand(name);
    if (path === null) missing.push(name);
    else found[name] = path;
  }
  if (missing.length === 0) return found;
  const reason = `${missing.join(' and ')} not found on PATH`;
  if (inCi()) throw new Error(`${reason}: CI must run the ${suite} tests (.ci/run installs them)`);
  console.warn(
    `\n*** SKIPPING ${suite} tests: ${reason}. Install them (Debian: apt-get install ${missing.join(' ')}). ***\n`,
  );
  return null;
}

/**
 * Whether a slow opt-in suite runs: always in CI, elsewhere with `variable=1`; skipped loudly otherwise.
 */
export function slowSuiteEnabled(variable: string, suite: string): boolean {
  if (inCi() || process.env[variable] === '1') return true;
  console.warn(`\n*** SKIPPING ${suite} (slow; runs in CI). Set ${variable}=1 to run it here. ***\n`);
  return false;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion, collecting its output (never throws for a non-zero exit). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/**
 * Replaces `from` by `to` in `text`, and fails if `from` is not there: a substitution that silently
 * stops matching would test a file other than the one we ship.
 */
export function substitute(text: string, from: string | RegExp, to: string): string {
  const matches = typeof from === 'string' ? text.includes(from) : from.test(text);
  if (!matches) throw new Error(`expected to find ${String(from)} in the shipped file`);
  return typeof from === 'string' ? text.split(from).join(to) : text.replace(from, to);
}
