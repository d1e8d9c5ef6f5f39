import type { CliDeps } from './cli-deps.js';
import { normalizeArgv } from './argv-aliases.js';
import { runReported } from './cli-run.js';
import type { ExitCode } from './exit-codes.js';
import type { CommandContext } from './command-context.js';
import * as code from './commands/code.js';
import * as list from './commands/list.js';
import type { CliCommand } from './commands/command-module.js';

/**
 * Runs the CLI on `argv` (the user's arguments) with the injected process, and returns the exit
 * status: 0 ok, 1 runtime or remote failure, 2 usage or invalid input. Never throws. `code NAME` and
 * `list` run at once (`fastCommand`, below); every other command line loads commander (program.ts).
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<ExitCode> {
  const fast = fastCommand(normalizeArgv(argv));
  if (fast !== null) return runReported(deps, fast);
  const { runProgram } = await import('./program.js');
  return runProgram(argv, deps);
}

/**
 * The two commands scripts and people run most, in their plainest forms, run without commander:
 * `open2fa code NAME` and `open2fa list` (after `normalizeArgv`). Commander alone costs more start-up
 * than the rest of `open2fa code` (it loads node:child_process, and the program its command table), so
 * these skip it and call the very command that commander would, with the arguments commander would
 * pass. Anything else (an option, `--`, help, a second argument) is commander's.
 * @see bench/profile-notes.md "CLI start"
 */
export function fastCommand(argv: readonly string[]): ((context: CommandContext) => Promise<void>) | null {
  const [name, argument, ...rest] = argv;
  if (rest.length > 0) return null;
  if (name === 'code' && argument !== undefined && !argument.startsWith('-')) {
    return (context) => run(code.command, context, argument, { copy: false });
  }
  if (name === 'list' && argument === undefined) {
    return (context) => run(list.command, context, { secrets: false, json: false });
  }
  return null;
}

/** What `defineCommand` in program.ts does with commander's action arguments. */
function run(command: CliCommand, context: CommandContext, ...args: unknown[]): Promise<void> {
  return command.run(context, ...(args as never[]));
}
