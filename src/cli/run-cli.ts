import type { CliDeps } from './cli-deps.js';
import { normalizeArgv } from './argv-aliases.js';
import { runReported } from './cli-run.js';
import type { ExitCode } from './exit-codes.js';
import { fastCommand } from './fast-commands.js';

/**
 * Runs the CLI on `argv` (the user's arguments) with the injected process, and returns the exit
 * status: 0 ok, 1 runtime or remote failure, 2 usage or invalid input. Never throws. `code NAME` and
 * `list` run at once (fast-commands.ts); every other command line loads commander (program.ts).
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<ExitCode> {
  const fast = fastCommand(normalizeArgv(argv));
  if (fast !== null) return runReported(deps, fast);
  const { runProgram } = await import('./program.js');
  return runProgram(argv, deps);
}
