import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';

/**
 * What every file of this folder exports as `command`: its help, its arguments and options, and what
 * it does. `program.ts` names the files; the program imports only the one it runs.
 */
export interface CliCommand {
  readonly description: string;
  /** The lines of the "Examples:" block its help ends with. */
  readonly examples: readonly string[];
  /** Declares its arguments and options on the commander command. */
  readonly options?: (command: Command) => Command;
  /**
   * Runs it with commander's action arguments: the positional values in order, then the options
   * object. Each command annotates what its own declarations produce.
   */
  readonly run: (context: CommandContext, ...args: never[]) => Promise<void>;
}

/** The module of one command file. */
export interface CommandModule {
  readonly command: CliCommand;
}

/**
 * `-s` and `--json`, shared by `list` and `remote list`; `--secret` is the Python spelling. Commander
 * is reached through `command` only: `list` runs without loading it (`fastCommand` in run-cli.ts).
 */
export function addListOptions(command: Command): Command {
  return command
    .option('-s, --secrets', 'show the secrets uncensored', false)
    .addOption(command.createOption('--secret').hideHelp())
    .option('--json', 'print JSON', false);
}

/** What `addListOptions` produces. */
export interface ListFlags {
  readonly secrets: boolean;
  readonly secret?: boolean;
  readonly json: boolean;
}

/** `-s` and `--json`, shared by `info` and `remote info`. */
export function addInfoOptions(command: Command): Command {
  return command
    .option('-s, --secrets', 'show the UUID, ID and Secret uncensored', false)
    .option('--json', 'print JSON', false);
}

/** The "Examples:" block every command's help ends with. */
export function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

/** The option that names the passphrase variable in `import` and `export` help. */
export const PASSPHRASE_VARIABLE = 'OPEN2FA_PASSPHRASE';
