import { expect, onTestFinished } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { freshDir, runOpen2fa, type CliRun } from './cli-harness.js';

/**
 * One device of a person for sync tests: its own OPEN2FA_DIR, the account's UUID, the server's API,
 * and the CLI's default settings otherwise (the protocol among them).
 */
export interface Device {
  readonly dir: string;
  readonly env: Readonly<Record<string, string>>;
  run(...argv: string[]): Promise<CliRun>;
  /** `run` with the clock at `now` (ms since the epoch). */
  runAt(now: number, ...argv: string[]): Promise<CliRun>;
  /** `list -s --json`: names and secrets, in the CLI's order. */
  entries(): Promise<{ name: string | null; secret: string }[]>;
  /** The names of `list --json`. */
  names(): Promise<(string | null)[]>;
}

/** A new device of the account `uuid` on the server at `origin`; `now` fixes its clock. */
export async function device(origin: string, uuid: string, now?: number): Promise<Device> {
  const dir = await freshDir();
  const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: `${origin}/api/v1`, OPEN2FA_UUID: uuid };
  const runAt = (at: number | undefined, argv: string[]): Promise<CliRun> =>
    runOpen2fa(argv, at === undefined ? { env } : { env, now: () => at });
  const run = (...argv: string[]): Promise<CliRun> => runAt(now, argv);
  return {
    dir,
    env,
    run,
    runAt: (at, ...argv) => runAt(at, argv),
    entries: async () => JSON.parse(ok(await run('list', '-s', '--json')).stdout) as { name: string; secret: string }[],
    names: async () =>
      (JSON.parse(ok(await run('list', '--json')).stdout) as { name: string | null }[]).map((entry) => entry.name),
  };
}

/** The run, once it is known to have succeeded silently (exit 0, nothing on stderr). */
export function ok(run: CliRun): CliRun {
  expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return run;
}

/** An in-process server for this test, closed when the test ends (also when it fails). */
export async function serverForTest(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  onTestFinished(() => server.close());
  return server;
}
