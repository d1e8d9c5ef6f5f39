import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const SERVER_BIN = fileURLToPath(new URL('../../bin/open2fa-server', import.meta.url));
const BUILT_MAIN = fileURLToPath(new URL('../../dist/server-bundle/open2fa-server.js', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /**
   * Everything the process wrote to stdout and stderr so far. A line written just before an answer may
   * still be in the pipe when the answer arrives: read after `exited` for the whole log.
   */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended and its output is all read. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** SIGKILL if still running; waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals>;
}

/**
 * Spawns the real `bin/open2fa-server` on a free port and waits until it listens. Needs `npm run build`
 * (which `npm test` runs first).
 */
export async function spawnServer(env: Record<string, string>, cwd?: string): Promise<ServerProcess> {
  if (!existsSync(BUILT_MAIN)) throw new Error('dist/ is missing: run `npm run build` first');
  return spawnServerCommand(process.execPath, [SERVER_BIN], env, cwd);
}

/**
 * Spawns a server by another command line (an installed copy, run the way a systemd unit's ExecStart
 * says) and waits until it listens.
 */
export async function spawnServerCommand(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<ServerProcess> {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    // 'close', not 'exit': it comes after stdout and stderr have ended, so output() is complete.
    child.on('close', (code, signal) => {
      resolve(signal ?? code ?? -1);
    });
  });
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start in 15 s:\n${output}`));
    }, 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((status) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${String(status)}) before listening:\n${output}`));
    });
  });
  return {
    child,
    origin,
    output: () => output,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Per-test server processes and temporary folders, stopped and removed after each test (also when it
 * fails). Call once at the top of a test file.
 */
export function serverFixtures(prefix: string): {
  start: (env: Record<string, string>, cwd?: string) => Promise<ServerProcess>;
  freshDirectory: () => string;
} {
  const running: ServerProcess[] = [];
  const directories: string[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.kill()));
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return {
    start: async (env, cwd) => {
      const server = await spawnServer(env, cwd);
      running.push(server);
      return server;
    },
    freshDirectory: () => {
      const directory = mkdtempSync(join(tmpdir(), prefix));
      directories.push(directory);
      return directory;
    },
  };
}
