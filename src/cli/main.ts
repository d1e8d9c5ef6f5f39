import { isatty } from 'node:tty';
import type { CliDeps } from './cli-deps.js';
import { runCli } from './run-cli.js';

/**
 * The process edge of the CLI: wires the real streams, environment, clock, network and Ctrl+C into
 * the testable program (`program.ts`) and returns its exit status (bin/open2fa sets it).
 */
export function main(argv: readonly string[]): Promise<number> {
  // `open2fa list | head -1` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', ignoreBrokenPipe);
  return runCli(argv, processDeps());
}

function processDeps(): CliDeps {
  return {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: `process.stdin` makes a stream (a socket on a pipe) that most commands never read.
    get stdin() {
      return process.stdin;
    },
    stdinIsTTY: isatty(0),
    isTTY: isatty(1),
    columns: () => process.stdout.columns,
    rows: () => process.stdout.rows,
    now: () => Date.now(),
    fetch: globalThis.fetch,
    sleep,
    onInterrupt: (handler) => {
      process.on('SIGINT', handler);
      return () => process.off('SIGINT', handler);
    },
    cwd: process.cwd(),
  };
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, milliseconds);
    signal.addEventListener('abort', done, { once: true });
  });
}

function ignoreBrokenPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}
