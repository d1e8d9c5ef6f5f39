import { InvalidArgumentError, Option, type Command } from 'commander';
import { addInfoOptions, addListOptions, examples } from './command-options.js';
import type { CommandContext } from './command-context.js';
import type { ExportFormat } from './export-command.js';

const PASSPHRASE_ENV_NAME = 'OPEN2FA_PASSPHRASE';

// Command modules are imported inside the actions: a run loads only the command it executes, which
// keeps `open2fa list` fast (no crypto, no TOTP, no HTTP, no readline).

/** The commands that work on the local vault only. */
export function registerLocalCommands(program: Command, context: CommandContext): void {
  registerVaultCommands(program, context);
  registerViewCommands(program, context);
  registerCodeCommands(program, context);
  registerTransferCommands(program, context);
}

/** The export formats, repeated here so that building the program does not load export-command.ts. */
const EXPORT_FORMAT_CHOICES = ['otpauth', 'aegis', '2fas', 'json'] as const satisfies readonly ExportFormat[];

/** `import`, `export` and `qr`: moving entries between open2fa and other authenticators. */
function registerTransferCommands(program: Command, context: CommandContext): void {
  program
    .command('import')
    .description('import entries from another authenticator, a QR image or an open2fa export')
    .argument(
      '<file>',
      'otpauth:// lines, Google Authenticator transfer URIs, Aegis/2FAS/andOTP/Bitwarden JSON, PNG/JPEG',
    )
    .option('--dry-run', 'print what would be imported, write nothing', false)
    .option('--skip-invalid', 'import the valid entries even if some are invalid', false)
    .option('--passphrase-file <file>', `the passphrase of an encrypted backup (or set ${PASSPHRASE_ENV_NAME})`)
    .addHelpText(
      'after',
      examples(
        'open2fa import aegis-export.json --dry-run',
        'open2fa import transfer-qr.png',
        'open2fa import backup.o2fa',
      ),
    )
    .action(async (file: string, options: { dryRun: boolean; skipInvalid: boolean; passphraseFile?: string }) => {
      const { runImport } = await import('./import-command.js');
      await runImport(context, { file, ...options, passphraseFile: options.passphraseFile });
    });
  program
    .command('export')
    .description('export every entry (plain: the output holds your secrets) or an encrypted backup')
    .addOption(new Option('-f, --format <format>', 'plain export format').choices(EXPORT_FORMAT_CHOICES))
    .option('-o, --output <file>', 'write to this file (mode 0600) instead of stdout')
    .option('--encrypted', 'a passphrase-protected backup (needs --output)', false)
    .option('--passphrase-file <file>', `the passphrase (or set ${PASSPHRASE_ENV_NAME}; else asked)`)
    .addHelpText(
      'after',
      examples('open2fa export --format aegis --output aegis.json', 'open2fa export --encrypted --output backup.o2fa'),
    )
    .action(
      async (options: { format?: ExportFormat; output?: string; encrypted: boolean; passphraseFile?: string }) => {
        const { runExport } = await import('./export-command.js');
        await runExport(context, {
          format: options.format,
          output: options.output,
          encrypted: options.encrypted,
          passphraseFile: options.passphraseFile,
        });
      },
    );
  program
    .command('qr')
    .description("draw an entry's otpauth:// QR code in the terminal, to scan it with a phone")
    .argument('[name]', 'its name, issuer or account: exact, any case, or a unique part')
    .option('-n, --name <name>', 'the same, as an option')
    .option('--invert', 'draw dark modules (for terminals with a light background)', false)
    .addHelpText('after', examples('open2fa qr GitHub'))
    .action(async (query: string | undefined, options: { name?: string; invert: boolean }) => {
      const { runQr } = await import('./qr-command.js');
      await runQr(context, { query: query ?? options.name, invert: options.invert });
    });
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
    .description('delete local secrets by name, issuer or account (any case) or by secret (asks first unless -f)')
    .argument('[target]', 'a name or a secret')
    .option('-n, --name <name>', 'the whole name, issuer or account, in any case')
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
    .option('-n, --name <text>', 'only entries whose name, issuer or account contains this text (any case)')
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
    .description('print only the current code of one secret (HOTP: then advances its counter)')
    .argument('[name]', 'its name, issuer or account: exact, any case, or a unique part')
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
