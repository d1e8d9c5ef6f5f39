import { InvalidArgumentError, type Command } from 'commander';
import { addInfoOptions, addListOptions, examples } from './command-options.js';
import type { CommandContext } from './command-context.js';

// Command modules are imported inside the actions: a run loads only the command it executes, which
// keeps `open2fa list` fast (no crypto, no TOTP, no HTTP, no readline).

/** The commands that work on the local vault only. */
export function registerLocalCommands(program: Command, context: CommandContext): void {
  registerVaultCommands(program, context);
  registerViewCommands(program, context);
  registerCodeCommands(program, context);
}

/** `add`, `delete` and `rename`: the commands that change `secrets.json`. */
function registerVaultCommands(program: Command, context: CommandContext): void {
  program
    .command('add')
    .alias('a')
    .description('store a TOTP secret (base32, or an otpauth://totp/ URI); no arguments: asks, hidden')
    .argument('[secret]', 'the secret; the two arguments may come in either order')
    .argument('[name]', 'a name for it')
    .option('-n, --name <name>', 'a name for it (a positional name wins)')
    .addHelpText(
      'after',
      examples(
        'open2fa add JBSWY3DPEHPK3PXP GitHub',
        "open2fa add 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP'",
      ),
    )
    .action(async (first: string | undefined, second: string | undefined, options: { name?: string }) => {
      const { runAdd } = await import('./add-command.js');
      await runAdd(context, { first, second, name: options.name });
    });
  program
    .command('delete')
    .alias('d')
    .description('delete local secrets by exact name or by secret (asks first unless -f)')
    .argument('[target]', 'a name or a secret')
    .option('-n, --name <name>', 'the exact name')
    .option('-s, --secret <secret>', 'the secret')
    .option('-f, --force', 'do not ask for confirmation', false)
    .addHelpText('after', examples('open2fa delete -n GitHub', 'open2fa delete -s JBSWY3DPEHPK3PXP -f'))
    .action(async (either: string | undefined, options: { name?: string; secret?: string; force: boolean }) => {
      const { runDelete } = await import('./delete-command.js');
      await runDelete(context, { ...options, either });
    });
  program
    .command('rename')
    .description('rename a secret (OLD is a name, part of one, or the secret)')
    .argument('<old>', 'the current name')
    .argument('<new>', 'the new name')
    .addHelpText('after', examples('open2fa rename GitHub "GitHub (work)"'))
    .action(async (oldName: string, newName: string) => {
      const { runRename } = await import('./rename-command.js');
      await runRename(context, oldName, newName);
    });
}

/** `list` and `info`: read-only views of the local vault. */
function registerViewCommands(program: Command, context: CommandContext): void {
  addListOptions(program.command('list').alias('l').description('list the stored secrets (masked unless -s)'))
    .addHelpText('after', examples('open2fa list', 'open2fa list --json'))
    .action(async (options: { secrets: boolean; secret?: boolean; json: boolean }) => {
      const { runList } = await import('./list-command.js');
      await runList(context, { secrets: options.secrets || options.secret === true, json: options.json });
    });
  addInfoOptions(program.command('info').alias('i').description('show the directory, server and (masked) identity'))
    .addHelpText('after', examples('open2fa info', 'open2fa info -s --json'))
    .action(async (options: { secrets: boolean; json: boolean }) => {
      const { runInfo } = await import('./info-command.js');
      await runInfo(context, options);
    });
}

function registerCodeCommands(program: Command, context: CommandContext): void {
  program
    .command('generate')
    .alias('g')
    .description('show the current codes, live (Ctrl+C to exit)')
    .option('-n, --name <text>', 'only names containing this text (any case)')
    .option('-r, --repeat <count>', 'show this many frames, then exit', parsePositiveInteger)
    .option('-d, --delay <seconds>', 'seconds between frames', parseDelay, 0.5)
    .option('--json', 'print each frame as one JSON line (one frame unless -r)', false)
    .addHelpText('after', examples('open2fa generate -n git', 'open2fa generate -r 1'))
    .action(async (options: { name?: string; repeat?: number; delay: number; json: boolean }) => {
      const { runGenerate } = await import('./generate-command.js');
      await runGenerate(context, {
        name: options.name,
        repeat: options.repeat,
        delay: options.delay,
        json: options.json,
      });
    });
  program
    .command('code')
    .description('print only the current code of one secret')
    .argument('[name]', 'its name: exact, any case, or a unique part')
    .option('-n, --name <name>', 'the same, as an option')
    .option('-c, --copy', 'also copy the code to the clipboard', false)
    .addHelpText('after', examples('open2fa code GitHub', 'open2fa code git --copy'))
    .action(async (query: string | undefined, options: { name?: string; copy: boolean }) => {
      const { runCode } = await import('./code-command.js');
      await runCode(context, { query: query ?? options.name, copy: options.copy });
    });
}

function parsePositiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1.');
  }
  return value;
}

function parseDelay(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 3600) {
    throw new InvalidArgumentError('expected seconds from 0 to 3600, e.g. 0.5.');
  }
  return value;
}
