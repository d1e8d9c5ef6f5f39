import { Command } from 'commander';
import { packageVersion } from '../package-info.js';
import { normalizeArgv } from './argv-aliases.js';
import type { CliDeps } from './cli-deps.js';
import { examples } from './command-options.js';
import { createContext, type CommandContext } from './command-context.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { reportFailure } from './failure-report.js';
import { registerLocalCommands } from './local-program.js';
import { registerRemoteCommands } from './remote-program.js';

/**
 * Runs the CLI on `argv` (the user's arguments) with the injected process, and returns the exit
 * status: 0 ok, 1 runtime or remote failure, 2 usage or invalid input. Never throws.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<ExitCode> {
  const context = createContext(deps);
  const program = buildProgram(context);
  try {
    if (argv.length === 0) {
      // Like the Python client: no command prints the help and succeeds.
      program.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync(normalizeArgv(argv), { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    const failure = reportFailure(error);
    if (failure.message !== null) deps.stderr.write(`open2fa: error: ${failure.message}\n`);
    return failure.exitCode;
  } finally {
    context.close();
  }
}

/** The commander program, wired to the context's streams; usage errors throw instead of exiting. */
export function buildProgram(context: CommandContext): Command {
  const program = new Command('open2fa')
    .description('Two-factor authentication codes in the terminal, synced end-to-end encrypted.')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .configureOutput({
      writeOut: (text) => {
        context.out(text);
      },
      writeErr: (text) => {
        context.err(text);
      },
    })
    .exitOverride()
    .showSuggestionAfterError();
  program.addHelpText(
    'after',
    examples('open2fa add JBSWY3DPEHPK3PXP GitHub', 'open2fa generate', 'open2fa code github --copy'),
  );
  registerLocalCommands(program, context);
  registerRemoteCommands(program, context);
  return program;
}
