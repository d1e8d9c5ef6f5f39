import type { CliDeps } from './cli-deps.js';
import { createContext, type CommandContext } from './command-context.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { reportFailure } from './failure-report.js';
import { printable } from './output/text-format.js';

/**
 * Runs `work` with a fresh context and turns what it throws into the one-line message and exit status
 * of `reportFailure`. Shared by the fast path (`fastCommand` in run-cli.ts) and commander's (program.ts), so both
 * fail alike. Never throws.
 */
export async function runReported(deps: CliDeps, work: (context: CommandContext) => Promise<void>): Promise<ExitCode> {
  const context = createContext(deps);
  try {
    await work(context);
    return EXIT.ok;
  } catch (error) {
    const failure = reportFailure(error);
    // The last defence: a message that quotes a server or a file cannot reach the terminal raw.
    if (failure.message !== null) deps.stderr.write(`open2fa: error: ${printable(failure.message)}\n`);
    return failure.exitCode;
  } finally {
    context.close();
  }
}
