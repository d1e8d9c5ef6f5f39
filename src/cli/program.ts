import { Command } from 'commander';
import { packageVersion } from '../package-info.js';
import { normalizeArgv } from './argv-aliases.js';
import type { CliDeps } from './cli-deps.js';
import { describeCliSettings } from './cli-settings.js';
import { runReported } from './cli-run.js';
import type { CommandContext } from './command-context.js';
import { examples, type CliCommand, type CommandModule } from './commands/command-module.js';
import type { ExitCode } from './exit-codes.js';

/** A command: its name and aliases, known without loading it, and its file. */
interface CommandEntry {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly load: () => Promise<CommandModule>;
}

/** A command that only groups others (`remote`); its help is here, its commands in their own table. */
interface CommandGroup {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly examples: readonly string[];
  readonly commands: readonly CommandEntry[];
}

/**
 * `open2fa remote …`: the sync commands, each working through the protocol the configuration
 * chooses (v2 unless OPEN2FA_PROTOCOL=v1), with the Python client's short aliases.
 */
const REMOTE: CommandGroup = {
  name: 'remote',
  aliases: ['r'],
  description: 'sync with the open2fa server (secrets are encrypted before they leave)',
  examples: ['open2fa remote init', 'open2fa remote push', 'OPEN2FA_UUID=… open2fa remote pull'],
  commands: [
    { name: 'init', aliases: ['ini'], load: () => import('./commands/remote/init.js') },
    { name: 'push', aliases: ['pus', 'sync'], load: () => import('./commands/remote/push.js') },
    { name: 'pull', aliases: ['pul'], load: () => import('./commands/remote/pull.js') },
    { name: 'migrate', aliases: ['mig'], load: () => import('./commands/remote/migrate.js') },
    { name: 'delete', aliases: ['del', 'd'], load: () => import('./commands/remote/delete.js') },
    { name: 'list', aliases: ['l'], load: () => import('./commands/remote/list.js') },
    { name: 'info', aliases: ['inf'], load: () => import('./commands/remote/info.js') },
    { name: 'delete-account', aliases: [], load: () => import('./commands/remote/delete-account.js') },
    { name: 'pair', aliases: [], load: () => import('./commands/remote/pair.js') },
    { name: 'rotate', aliases: [], load: () => import('./commands/remote/rotate.js') },
  ],
};

/**
 * Every command, in the order of `open2fa --help`: the vault (add, delete, rename), its views (list,
 * info), codes (generate, code), transfers (import, export, qr), the trash (trash, restore), then
 * `remote`.
 */
const COMMANDS: readonly (CommandEntry | CommandGroup)[] = [
  { name: 'add', aliases: ['a'], load: () => import('./commands/add.js') },
  { name: 'delete', aliases: ['d'], load: () => import('./commands/delete.js') },
  { name: 'rename', aliases: [], load: () => import('./commands/rename.js') },
  { name: 'list', aliases: ['l'], load: () => import('./commands/list.js') },
  { name: 'info', aliases: ['i'], load: () => import('./commands/info.js') },
  { name: 'generate', aliases: ['g'], load: () => import('./commands/generate.js') },
  { name: 'code', aliases: [], load: () => import('./commands/code.js') },
  { name: 'import', aliases: [], load: () => import('./commands/import.js') },
  { name: 'export', aliases: [], load: () => import('./commands/export.js') },
  { name: 'qr', aliases: [], load: () => import('./commands/qr.js') },
  { name: 'trash', aliases: [], load: () => import('./commands/trash.js') },
  { name: 'restore', aliases: [], load: () => import('./commands/restore.js') },
  REMOTE,
];

/**
 * The entries `word` (the next argument) names, or all of them when it names none (help, a typo,
 * an option): a run loads only the command it executes, which keeps `open2fa code` fast.
 */
function entriesFor<T extends { readonly name: string; readonly aliases: readonly string[] }>(
  table: readonly T[],
  word: string | undefined,
): { readonly entries: readonly T[]; readonly named: boolean } {
  const named = table.filter((entry) => entry.name === word || entry.aliases.some((alias) => alias === word));
  return named.length > 0 ? { entries: named, named: true } : { entries: table, named: false };
}

/**
 * Runs `argv` (the user's arguments, any command line) through commander; `runCli` (run-cli.ts) comes
 * here for everything but its fast path. Returns the exit status; never throws.
 */
export function runProgram(argv: readonly string[], deps: CliDeps): Promise<ExitCode> {
  return runReported(deps, async (context) => {
    const args = normalizeArgv(argv);
    const program = await buildProgram(context, args);
    if (argv.length === 0) {
      // Like the Python client: no command prints the help and succeeds.
      program.outputHelp();
      return;
    }
    await program.parseAsync(args, { from: 'user' });
  });
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
