import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Entry } from '../../core/entry/model.js';
import type { CommandContext } from '../command-context.js';
import { writeFileAtomic } from '../vault/atomic-file.js';
import { CliError } from '../cli-error.js';
import { readPassphrase } from '../terminal/passphrase-input.js';
import { loadVault } from '../vault/vault-store.js';
import { Option } from 'commander';
import { PASSPHRASE_VARIABLE, type CliCommand } from './command-module.js';

/** The plain export formats; `--format`'s choices come from this list. */
export const EXPORT_FORMATS = ['otpauth', 'aegis', '2fas', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const command = {
  description: 'export every entry (plain: the output holds your secrets) or an encrypted backup',
  examples: ['open2fa export --format aegis --output aegis.json', 'open2fa export --encrypted --output backup.o2fa'],
  options: (command) =>
    command
      .addOption(new Option('-f, --format <format>', 'plain export format').choices(EXPORT_FORMATS))
      .option('-o, --output <file>', 'write to this file (mode 0600) instead of stdout')
      .option('--encrypted', 'a passphrase-protected backup (needs --output)', false)
      .option('--passphrase-file <file>', `the passphrase (or set ${PASSPHRASE_VARIABLE}; else asked)`),
  run: (context, options: { format?: ExportFormat; output?: string; encrypted: boolean; passphraseFile?: string }) =>
    runExport(context, {
      format: options.format,
      output: options.output,
      encrypted: options.encrypted,
      passphraseFile: options.passphraseFile,
    }),
} satisfies CliCommand;

export interface ExportOptions {
  readonly format: ExportFormat | undefined;
  readonly output: string | undefined;
  readonly encrypted: boolean;
  readonly passphraseFile: string | undefined;
}

const PLAIN_WARNING =
  'warning: this export holds your secrets in plain text: anyone who reads it can make your codes. ' +
  'Keep it private and delete it once imported (or use --encrypted).\n';

/**
 * `open2fa export`: every entry, to stdout or to `--output FILE` (written atomically, mode 0600).
 * Plain formats print a warning on stderr; `--encrypted` writes a passphrase-protected backup.
 */
async function runExport(context: CommandContext, options: ExportOptions): Promise<void> {
  const output = options.output === undefined ? undefined : resolve(context.deps.cwd, options.output);
  if (options.encrypted && options.format !== undefined) {
    throw new CliError('usage', '--encrypted always writes the open2fa backup format: drop --format');
  }
  if (!options.encrypted && options.format === undefined) {
    throw new CliError('usage', `choose --format ${EXPORT_FORMATS.join('|')}, or --encrypted --output FILE`);
  }
  if (options.encrypted && output === undefined) throw new CliError('usage', '--encrypted needs --output FILE');
  if (output !== undefined) await checkDirectory(output);
  const { entries } = await loadVault(context.vaultDir());
  const text = options.encrypted
    ? await encrypted(context, entries, options.passphraseFile)
    : await plain(entries, options.format ?? 'json', context.deps.now());
  if (!options.encrypted) context.err(PLAIN_WARNING);
  if (output === undefined) {
    context.out(text);
    return;
  }
  try {
    await writeFileAtomic(output, text);
  } catch (error) {
    throw new CliError(
      'io_failed',
      `cannot write ${output}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const what = options.encrypted ? 'an encrypted backup' : `${options.format ?? 'json'} format`;
  context.out(
    `Exported ${String(entries.length)} ${entries.length === 1 ? 'entry' : 'entries'} to ${output} (${what}, mode 0600).\n`,
  );
}

async function plain(entries: readonly Entry[], format: ExportFormat, now: number): Promise<string> {
  // Only the chosen serialiser is loaded.
  switch (format) {
    case 'otpauth': {
      const { formatOtpauthUri } = await import('../../core/formats/otpauth-uri.js');
      return entries.map((entry) => `${formatOtpauthUri(entry)}\n`).join('');
    }
    case 'aegis': {
      const { serializeAegis } = await import('../../core/formats/aegis-format.js');
      return serializeAegis(entries);
    }
    case '2fas': {
      const { serializeTwoFas } = await import('../../core/formats/twofas-format.js');
      return serializeTwoFas(entries, now);
    }
    case 'json': {
      const { serializeOpen2fa } = await import('../../core/formats/open2fa-format.js');
      return serializeOpen2fa(entries);
    }
  }
}

async function encrypted(
  context: CommandContext,
  entries: readonly Entry[],
  passphraseFile: string | undefined,
): Promise<string> {
  const passphrase = await readPassphrase(context, { file: passphraseFile, forNewBackup: true });
  const { encryptBackup } = await import('../../core/formats/encrypted-backup.js');
  return encryptBackup(entries, passphrase);
}

/** Fails before asking a passphrase or deriving a key when the file could not be written anyway. */
async function checkDirectory(path: string): Promise<void> {
  try {
    await access(dirname(path));
  } catch {
    throw new CliError('io_failed', `cannot write ${path}: the directory ${dirname(path)} does not exist`);
  }
}
