import type { CliDeps } from './cli-deps.js';
import { runCli } from './run-cli.js';
import { descriptorOutput, isTerminal } from './terminal/process-output.js';

/**
 * The process edge of the CLI: wires the real streams, environment, clock, network and Ctrl+C into
 * the testable program (`program.ts`) and returns its exit status (bin/open2fa sets it).
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [stdinIsTTY, isTTY, stderrIsTTY] = await Promise.all([isTerminal(0), isTerminal(1), isTerminal(2)]);
  return runCli(argv, processDeps({ stdinIsTTY, isTTY, stderrIsTTY }));
}

interface Terminals {
  readonly stdinIsTTY: boolean;
  readonly isTTY: boolean;
  readonly stderrIsTTY: boolean;
}

function processDeps(terminals: Terminals): CliDeps {
  return {
    env: process.env,
    // A terminal gets Node's stream (live redrawing, its size); a pipe or a file is written directly,
    // so `open2fa code NAME` in a script never builds the stream (terminal/process-output.ts).
    stdout: terminals.isTTY
      ? brokenPipeIgnored(process.stdout)
      : descriptorOutput(1, () => brokenPipeIgnored(process.stdout)),
    stderr: terminals.stderrIsTTY ? process.stderr : descriptorOutput(2, () => process.stderr),
    // A getter: `process.stdin` makes a stream (a socket on a pipe) that most commands never read.
    get stdin() {
      return process.stdin;
    },
    stdinIsTTY: terminals.stdinIsTTY,
    isTTY: terminals.isTTY,
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

/** `open2fa list | head -1` closes the pipe early; that is not an error worth a stack trace. */
function brokenPipeIgnored(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  stream.on('error', ignoreBrokenPipe);
  return stream;
}

function ignoreBrokenPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}
