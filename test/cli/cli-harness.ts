import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { onTestFinished } from 'vitest';
import type { CliDeps, TextInput } from '../../src/cli/cli-deps.js';
import { runCli } from '../../src/cli/run-cli.js';

/** What one in-process run of the CLI produced. */
export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh private directory, removed when the current test finishes (pass or fail). */
export async function freshDir(prefix = 'open2fa-cli-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

export type HarnessOptions = Partial<Omit<CliDeps, 'stdout' | 'stderr' | 'stdin' | 'env'>> & {
  readonly env?: Record<string, string | undefined>;
  /** Text for stdin (ended), or a stream the test feeds. */
  readonly stdin?: string | TextInput;
  /** Collects stderr, for a test that watches it while the command runs. */
  readonly stderr?: TextSink;
};

/** A collector for stdout or stderr. */
export class TextSink {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/**
 * Runs the CLI in-process. Defaults: no terminal, a fixed clock at RFC 6238's T = 59 s, the real
 * fetch, sleeps that return at once, and no Ctrl+C.
 */
export async function runOpen2fa(argv: readonly string[], options: HarnessOptions = {}): Promise<CliRun> {
  const stdout = new TextSink();
  const { stderr = new TextSink() } = options;
  const exitCode = await runCli(argv, harnessDeps({ ...options, stderr }, stdout));
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}

/** The injected process of `runOpen2fa`, for tests that build the program themselves. */
export function harnessDeps(options: HarnessOptions = {}, stdout: TextSink = new TextSink()): CliDeps {
  const { stdin, env, stderr = new TextSink(), ...rest } = options;
  return {
    env: env ?? {},
    stdout,
    stderr,
    stdin: typeof stdin === 'string' || stdin === undefined ? Readable.from([stdin ?? '']) : stdin,
    stdinIsTTY: false,
    isTTY: false,
    columns: () => undefined,
    rows: () => undefined,
    now: () => 59_000,
    fetch: globalThis.fetch,
    sleep: () => Promise.resolve(),
    onInterrupt: () => () => undefined,
    cwd: process.cwd(),
    ...rest,
  };
}

/** A stream that claims to be a terminal, as readline needs for hidden input. */
export function fakeTerminalInput(): PassThrough & { isTTY: boolean; setRawMode: (mode: boolean) => void } {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (mode: boolean) => void };
  stream.isTTY = true;
  stream.setRawMode = () => undefined;
  return stream;
}
