import { Command } from 'commander';
import { packageVersion } from '../package-info.js';
import { normalizeArgv } from './argv-aliases.js';
import type { CliDeps } from './cli-deps.js';
import { describeCliSettings } from './cli-settings.js';
import { createContext, type CommandContext } from './command-context.js';
import { examples, type CliCommand } from './commands/command-module.js';
import { COMMANDS, entriesFor, type CommandEntry, type CommandGroup } from './commands/command-table.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { reportFailure } from './failure-report.js';

/**
 * Runs the CLI on `argv` (the user's arguments) with the injected process, and returns the exit
 * status: 0 ok, 1 runtime or remote failure, 2 usage or invalid input. Never throws.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<ExitCode> {
  const context = createContext(deps);
  try {
    const args = normalizeArgv(argv);
    const program = await buildProgram(context, args);
    if (argv.length === 0) {
      // Like the Python client: no command prints the help and succeeds.
      program.outputHelp();
      return EXIT.ok;
    }
    await program.parseAsync(args, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    const failure = reportFailure(error);
    if (failure.message !== null) deps.stderr.write(`open2fa: error: ${failure.message}\n`);
    return failure.exitCode;
  } finally {
    context.close();
  }
}

/**
 * The commander program, wired to the context's streams; usage errors throw instead of exiting.
 * Only the commands `argv` names are loaded (every command for help, a typo or no argument), so
 * the program is the same for the command that runs and start-up pays for that command alone.
 */
export async function buildProgram(context: CommandContext, argv: readonly string[] = []): Promise<Command> {
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
    examples(['open2fa add JBSWY3DPEHPK3PXP GitHub', 'open2fa generate', 'open2fa code github --copy']) +
      describeCliSettings(),
  );
  await addCommands(program, COMMANDS, argv, context);
  return program;
}

async function addCommands(
  parent: Command,
  table: readonly (CommandEntry | CommandGroup)[],
  argv: readonly string[],
  context: CommandContext,
): Promise<void> {
  const { entries, named } = entriesFor(table, argv[0]);
  // Loaded at once, registered in the table's order (the order of the help).
  const modules = await Promise.all(entries.map((entry) => ('load' in entry ? entry.load() : Promise.resolve(null))));
  for (const [index, entry] of entries.entries()) {
    const command = parent.command(entry.name).aliases([...entry.aliases]);
    const module = modules[index];
    if ('commands' in entry) {
      command.description(entry.description).addHelpText('after', examples(entry.examples));
      await addCommands(command, entry.commands, named ? argv.slice(1) : [], context);
    } else if (module !== undefined && module !== null) {
      defineCommand(command, module.command, context);
    }
  }
}

function defineCommand(command: Command, spec: CliCommand, context: CommandContext): void {
  command.description(spec.description);
  spec.options?.(command);
  command
    .addHelpText('after', examples(spec.examples))
    .action((...args: unknown[]) => spec.run(context, ...(args as never[])));
}
