import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Entry } from '../../core/entry/model.js';
import type { CommandContext } from '../command-context.js';
import { writeFileAtomic } from '../vault/atomic-file.js';
import { CliError } from '../cli-error.js';
import { readPassphrase } from '../terminal/passphrase-input.js';
import { loadVault } from '../vault/vault-store.js';
import { displayName, printable } from '../output/text-format.js';
import { Option } from 'commander';
import { PASSPHRASE_VARIABLE, type CliCommand } from './command-module.js';

/** The export formats; `--format`'s choices come from this list. */
export const EXPORT_FORMATS = ['otpauth', 'aegis', '2fas', 'json', 'google-migration', 'aegis-encrypted'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The formats another app opens with a password, asked as for `--encrypted`; no plain-text warning. */
const PASSWORD_FORMATS: readonly ExportFormat[] = ['aegis-encrypted'];

export const command = {
  description: 'export every entry (plain: the output holds your secrets) or an encrypted backup',
  examples: [
    'open2fa export --format aegis --output aegis.json',
    'open2fa export --encrypted --output backup.o2fa',
    'open2fa export --format google-migration',
    'open2fa export --format aegis-encrypted --output aegis-encrypted.json',
  ],
  options: (command) =>
    command
      .addOption(
        new Option(
          '-f, --format <format>',
          'export format (google-migration: transfer QR codes for Google Authenticator; aegis-encrypted: with a password)',
        ).choices(EXPORT_FORMATS),
      )
      .option('--invert', 'google-migration: draw dark modules (for terminals with a light background)', false)
      .option('-o, --output <file>', 'write to this file (mode 0600) instead of stdout')
      .option('--encrypted', 'a passphrase-protected backup (needs --output)', false)
      .option('--passphrase-file <file>', `the passphrase (or set ${PASSPHRASE_VARIABLE}; else asked)`),
  run: (
    context,
    options: { format?: ExportFormat; output?: string; encrypted: boolean; passphraseFile?: string; invert: boolean },
  ) =>
    runExport(context, {
      format: options.format,
      output: options.output,
      encrypted: options.encrypted,
      passphraseFile: options.passphraseFile,
      invert: options.invert,
    }),
} satisfies CliCommand;

export interface ExportOptions {
  readonly format: ExportFormat | undefined;
  readonly output: string | undefined;
  readonly encrypted: boolean;
  readonly passphraseFile: string | undefined;
  readonly invert: boolean;
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
  const format = options.format ?? 'json';
  const withPassword = options.encrypted || PASSWORD_FORMATS.includes(format);
  let text: string;
  if (options.encrypted) text = await encrypted(context, entries, options.passphraseFile);
  else if (format === 'aegis-encrypted') text = await aegisEncrypted(context, entries, options.passphraseFile);
  else if (format === 'google-migration')
    text = await googleMigration(context, entries, output === undefined, options.invert);
  else text = await plain(entries, format, context.deps.now());
  if (!withPassword) context.err(PLAIN_WARNING);
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
  const what = options.encrypted ? 'an encrypted backup' : `${format} format`;
  context.out(
    `Exported ${String(entries.length)} ${entries.length === 1 ? 'entry' : 'entries'} to ${output} (${what}, mode 0600).\n`,
  );
}

async function plain(
  entries: readonly Entry[],
  format: Exclude<ExportFormat, 'google-migration' | 'aegis-encrypted'>,
  now: number,
): Promise<string> {
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

/** An encrypted Aegis vault (scrypt, AES-GCM), which Aegis and `open2fa import` open with the password. */
async function aegisEncrypted(
  context: CommandContext,
  entries: readonly Entry[],
  passphraseFile: string | undefined,
): Promise<string> {
  const password = await readPassphrase(context, { file: passphraseFile, forNewBackup: true });
  const { encryptAegisVault } = await import('../../core/formats/aegis-vault-crypto.js');
  return encryptAegisVault(entries, password);
}

/**
 * Google Authenticator transfer links, up to ten entries each: on a terminal each is drawn as a QR
 * code to scan with "Transfer accounts", then printed; to a file, one link a line. Entries the
 * format cannot hold are named on stderr and left out.
 */
async function googleMigration(
  context: CommandContext,
  entries: readonly Entry[],
  drawn: boolean,
  invert: boolean,
): Promise<string> {
  const { serializeMigrationUris } = await import('../../core/formats/google-migration.js');
  const { uris, refused } = serializeMigrationUris(entries);
  for (const { entry, reason } of refused) {
    context.err(`warning: left out ${printable(displayName(entry.name))}: ${reason}\n`);
  }
  if (!drawn) return uris.map((uri) => `${uri}\n`).join('');
  const { renderQr } = await import('../output/qr-render.js');
  return uris
    .map((uri, index) => `QR code ${String(index + 1)} of ${String(uris.length)}:\n${renderQr(uri, invert)}${uri}\n\n`)
    .join('');
}

/** Fails before asking a passphrase or deriving a key when the file could not be written anyway. */
async function checkDirectory(path: string): Promise<void> {
  try {
    await access(dirname(path));
  } catch {
    throw new CliError('io_failed', `cannot write ${path}: the directory ${dirname(path)} does not exist`);
  }
}
