import { resolve } from 'node:path';
import type { ImportItem } from '../../core/formats/import-item.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { readImportFile } from '../input/import-file.js';
import { formatList, importRefusal, importReport, plural } from '../output/import-report.js';
import { planImport } from '../vault/import-plan.js';
import { loadVault, newEntry, saveVault } from '../vault/vault-store.js';
import { PASSPHRASE_VARIABLE, type CliCommand } from './command-module.js';

export const command = {
  description: 'import entries from another authenticator, a QR image or an open2fa export',
  examples: [
    'open2fa import aegis-export.json --dry-run',
    'open2fa import transfer-qr.png',
    'open2fa import backup.o2fa',
    'open2fa import --format google-authenticator-db databases',
    'open2fa import --list-formats',
  ],
  options: (command) =>
    command
      .argument('[file]', 'an export of another authenticator (see --list-formats), a PNG/JPEG QR code')
      .option('--format <name>', 'read the file as this format instead of detecting it (see --list-formats)')
      .option('--list-formats', 'list the formats, with their --format names, and exit', false)
      .option('--dry-run', 'print what would be imported, write nothing', false)
      .option('--skip-invalid', 'import the valid entries even if some are invalid', false)
      .option(
        '--passphrase-file <file>',
        `the password of an encrypted export or backup (or set ${PASSPHRASE_VARIABLE}; else asked)`,
      ),
  run: (context, file: string | undefined, options: ImportFlags) => {
    if (options.listFormats) return listFormats(context);
    if (file === undefined) throw new CliError('usage', 'name the file to import (or use --list-formats)');
    return runImport(context, {
      file,
      format: options.format,
      dryRun: options.dryRun,
      skipInvalid: options.skipInvalid,
      passphraseFile: options.passphraseFile,
    });
  },
} satisfies CliCommand;

/** What the declarations above produce. */
interface ImportFlags {
  readonly format?: string;
  readonly listFormats: boolean;
  readonly dryRun: boolean;
  readonly skipInvalid: boolean;
  readonly passphraseFile?: string;
}

export interface ImportOptions {
  readonly file: string;
  /** `--format NAME`: read the file as this format, without detection. */
  readonly format: string | undefined;
  readonly dryRun: boolean;
  readonly skipInvalid: boolean;
  readonly passphraseFile: string | undefined;
}

/** `open2fa import --list-formats`: one line per format, in detection order. */
async function listFormats(context: CommandContext): Promise<void> {
  const { IMPORT_FORMAT_SPECS } = await import('../../core/formats/format-registry.js');
  context.out(formatList(IMPORT_FORMAT_SPECS));
}

/**
 * `open2fa import FILE`: all or nothing by default. Every entry is checked first; one invalid entry
 * means nothing is written (exit 2, the message names it) unless `--skip-invalid`. Entries already
 * stored are skipped and reported, so importing a file twice adds nothing. `--dry-run` prints the
 * same report and writes nothing.
 */
async function runImport(context: CommandContext, options: ImportOptions): Promise<void> {
  const path = resolve(context.deps.cwd, options.file);
  const { format, items, warnings } = await readImportFile(context, path, options);
  for (const warning of warnings) context.err(`warning: ${warning}\n`);
  const dir = context.vaultDir();
  // Planned and written under one lock, so "already stored" is decided on the file that is rewritten.
  const apply = (): Promise<void> => importItems(context, dir, path, format, items, options);
  await (options.dryRun ? apply() : context.lockVault(dir, apply));
}

async function importItems(
  context: CommandContext,
  dir: string,
  path: string,
  format: string,
  items: readonly ImportItem[],
  options: ImportOptions,
): Promise<void> {
  const vault = await loadVault(dir);
  const plan = planImport(vault.entries, items);
  const added = plan.flatMap((item) => (item.status === 'add' ? [item.entry] : []));
  const invalid = plan.filter((item) => item.status === 'invalid');
  const duplicates = plan.length - added.length - invalid.length;
  if (plan.length === 0) {
    context.out(`No 2FA entries found in ${path} (${format}); nothing imported.\n`);
    return;
  }
  context.out(`${format}: ${plural(plan.length, 'entry', 'entries')} in ${path}\n${importReport(plan)}`);
  if (invalid.length > 0 && !options.skipInvalid) throw importRefusal(invalid, added.length);
  const counts = `${String(duplicates)} already stored, ${String(invalid.length)} invalid skipped`;
  if (options.dryRun) {
    context.out(
      `Dry run: would import ${plural(added.length, 'entry', 'entries')} (${counts}); nothing was written.\n`,
    );
    return;
  }
  if (added.length > 0) {
    const entries = added.map(({ secret, name, ...parts }) => newEntry(secret, name, parts));
    await saveVault(dir, { ...vault, entries: [...vault.entries, ...entries] });
  }
  context.out(`Imported ${plural(added.length, 'entry', 'entries')} (${counts}).\n`);
}
