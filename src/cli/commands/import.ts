import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ImportFormatSpec, ImportOutcome, ImportSource } from '../../core/formats/format-spec.js';
import type { ImportItem } from '../../core/formats/import-item.js';
import type * as RegistryModule from '../../core/formats/format-registry.js';
import { describeKind } from '../../core/formats/entry-kind.js';
import type { CommandContext } from '../command-context.js';
import { CliError } from '../cli-error.js';
import { isSystemError } from '../system-error.js';
import { planImport, type PlannedItem } from '../vault/import-plan.js';
import { readPassphrase } from '../terminal/passphrase-input.js';
import { printable } from '../output/text-format.js';
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

const ENCRYPTION_WORDS = { none: 'plain', optional: 'plain or encrypted', always: 'encrypted' } as const;

/** `open2fa import --list-formats`: one line per format, in detection order. */
async function listFormats(context: CommandContext): Promise<void> {
  const { IMPORT_FORMAT_SPECS } = await import('../../core/formats/format-registry.js');
  const width = Math.max(...IMPORT_FORMAT_SPECS.map((spec) => spec.name.length));
  const rows = IMPORT_FORMAT_SPECS.map(
    (spec) => `${spec.name.padEnd(width)}  ${spec.label} [${ENCRYPTION_WORDS[spec.encryption]}]`,
  );
  context.out(`${rows.join('\n')}\nQR codes (PNG/JPEG) of otpauth:// and transfer links are read too.\n`);
}

/** Bigger than any authenticator export; a mistaken path to a disk image should not be read whole. */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const SHOWN_PROBLEMS = 3;

/**
 * `open2fa import FILE`: all or nothing by default. Every entry is checked first; one invalid entry
 * means nothing is written (exit 2, the message names it) unless `--skip-invalid`. Entries already
 * stored are skipped and reported, so importing a file twice adds nothing. `--dry-run` prints the
 * same report and writes nothing.
 */
async function runImport(context: CommandContext, options: ImportOptions): Promise<void> {
  const path = resolve(context.deps.cwd, options.file);
  const { format, items, warnings } = await readImport(context, path, options);
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
  context.out(`${format}: ${plural(plan.length, 'entry', 'entries')} in ${path}\n${report(plan)}`);
  if (invalid.length > 0 && !options.skipInvalid) throw refusal(invalid, added.length);
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

interface ReadImport {
  readonly format: string;
  readonly items: readonly ImportItem[];
  readonly warnings: readonly string[];
}

/**
 * Reads the file (a QR image is decoded to its text first), finds its format by content or by
 * `--format`, and parses it. The password is asked only when the format says the file needs one.
 */
async function readImport(
  context: CommandContext,
  path: string,
  options: Pick<ImportOptions, 'format' | 'passphraseFile'>,
): Promise<ReadImport> {
  const bytes = await readInput(path);
  const kind = imageKind(bytes);
  const registry = await import('../../core/formats/format-registry.js');
  const sources = await import('../../core/formats/import-source.js');
  let source: ImportSource;
  if (kind !== null) {
    const decoded = await decodeQrImage(bytes, kind, path);
    if (decoded === null) throw new CliError('invalid_import', `no QR code found in ${path}`);
    source = sources.textSource(decoded, basename(path));
  } else {
    source = sources.importSource(bytes, basename(path));
  }
  const spec = chooseFormat(registry, source, options.format, path);
  let outcome = await spec.parse(source, {});
  if (outcome.kind === 'password-needed') {
    const password = await readPassphrase(context, { file: options.passphraseFile, forNewBackup: false });
    outcome = await spec.parse(source, { password });
  }
  const entries = expectEntries(outcome, spec, path);
  const format = kind === null ? spec.label : `QR code: ${spec.label}`;
  return { format, items: entries.items, warnings: entries.warnings };
}

type Registry = typeof RegistryModule;

function chooseFormat(
  registry: Registry,
  source: ImportSource,
  name: string | undefined,
  path: string,
): ImportFormatSpec {
  if (name !== undefined) {
    const forced = registry.formatByName(name);
    if (forced === undefined) {
      throw new CliError('usage', `unknown format ${JSON.stringify(name)}: see open2fa import --list-formats`);
    }
    return forced;
  }
  const found = registry.detectFormat(source);
  if (found === undefined) {
    throw new CliError(
      'invalid_import',
      `cannot import ${path}: its format is none of the ${String(registry.IMPORT_FORMAT_SPECS.length)} known ` +
        '(see open2fa import --list-formats; --format NAME forces one)',
    );
  }
  return found;
}

function expectEntries(
  outcome: ImportOutcome,
  spec: ImportFormatSpec,
  path: string,
): Extract<ImportOutcome, { kind: 'entries' }> {
  switch (outcome.kind) {
    case 'entries':
      return outcome;
    case 'wrong-password':
      throw new CliError(
        'wrong_passphrase',
        `wrong password for ${path} (${spec.label}), or the file was changed: nothing was imported`,
      );
    case 'password-needed':
      // A format that asks again after it was given a password: never a loop.
      throw new CliError('wrong_passphrase', `${path} (${spec.label}) needs a password that was not accepted`);
    case 'unsupported':
      throw new CliError('invalid_import', `cannot import ${path} (${spec.label}): ${outcome.message}`);
  }
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError('usage', `${path} is not a file`);
    if (info.size > MAX_IMPORT_BYTES)
      throw new CliError('invalid_import', `${path} is too big for an authenticator export`);
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (isSystemError(error) && error.code === 'ENOENT') throw new CliError('not_found', `no such file: ${path}`);
    throw new CliError('io_failed', `cannot read ${path}: ${isSystemError(error) ? error.code : String(error)}`);
  }
}

/** One line per entry: what happens to it, which entry, and the parameters or the reason. */
function report(plan: readonly PlannedItem[]): string {
  const rows = plan.map((item) => {
    const status = { add: 'add', duplicate: 'skip', invalid: 'INVALID' }[item.status];
    const detail = item.status === 'add' ? describeKind(item.entry) : item.detail;
    return `  ${status.padEnd(7)}  ${printable(item.label)}: ${printable(detail)}`;
  });
  return `${rows.join('\n')}\n`;
}

function refusal(invalid: readonly PlannedItem[], valid: number): CliError {
  const named = invalid
    .slice(0, SHOWN_PROBLEMS)
    .map((item) => `${printable(item.label)} (${item.status === 'invalid' ? printable(item.detail) : ''})`)
    .join('; ');
  const more = invalid.length > SHOWN_PROBLEMS ? ` and ${String(invalid.length - SHOWN_PROBLEMS)} more` : '';
  return new CliError(
    'invalid_import',
    `nothing imported: ${plural(invalid.length, 'invalid entry', 'invalid entries')}: ${named}${more}. ` +
      `Fix the file, or use --skip-invalid to import the other ${String(valid)}`,
  );
}

function plural(count: number, one: string, many: string): string {
  return `${String(count)} ${count === 1 ? one : many}`;
}

type Decode = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'attemptBoth' },
) => { data: string } | null;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** Whether the bytes are a PNG or JPEG file (by their magic numbers, not the file name). */
export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | null {
  const starts = (magic: readonly number[]): boolean => magic.every((byte, index) => bytes[index] === byte);
  if (starts(PNG_MAGIC)) return 'png';
  if (starts(JPEG_MAGIC)) return 'jpeg';
  return null;
}

/**
 * The text of the QR code in a PNG or JPEG image, or `null` when none is found. The decoders are
 * imported here, on demand: only `import` of an image loads them.
 */
export async function decodeQrImage(bytes: Uint8Array, kind: 'png' | 'jpeg', path: string): Promise<string | null> {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    if (kind === 'png') {
      const { PNG } = await import('pngjs');
      image = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } else {
      const jpeg = await import('jpeg-js');
      image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CliError('invalid_import', `${path} is not a readable ${kind.toUpperCase()} image: ${why}`);
  }
  const decode = await loadJsQr();
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return decode(pixels, image.width, image.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

/** jsQR is CommonJS; depending on the loader its function is the default export or inside it. */
async function loadJsQr(): Promise<Decode> {
  const module: unknown = await import('jsqr');
  const candidate = (module as { default: unknown }).default;
  if (typeof candidate === 'function') return candidate as Decode;
  return (candidate as { default: Decode }).default;
}
