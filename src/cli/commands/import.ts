import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { IMPORT_FORMATS, type ImportItem } from '../../core/formats/import-item.js';
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
  ],
  options: (command) =>
    command
      .argument(
        '<file>',
        'otpauth:// lines, Google Authenticator transfer URIs, Aegis/2FAS/andOTP/Bitwarden JSON, PNG/JPEG',
      )
      .option('--dry-run', 'print what would be imported, write nothing', false)
      .option('--skip-invalid', 'import the valid entries even if some are invalid', false)
      .option('--passphrase-file <file>', `the passphrase of an encrypted backup (or set ${PASSPHRASE_VARIABLE})`),
  run: (context, file: string, options: { dryRun: boolean; skipInvalid: boolean; passphraseFile?: string }) =>
    runImport(context, { file, ...options, passphraseFile: options.passphraseFile }),
} satisfies CliCommand;

export interface ImportOptions {
  readonly file: string;
  readonly dryRun: boolean;
  readonly skipInvalid: boolean;
  readonly passphraseFile: string | undefined;
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
  const { format, items, warnings } = await readImport(context, path, options.passphraseFile);
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

/** Reads the file, decodes a QR image, detects the format and decrypts an open2fa backup. */
async function readImport(
  context: CommandContext,
  path: string,
  passphraseFile: string | undefined,
): Promise<ReadImport> {
  const bytes = await readInput(path);
  const kind = imageKind(bytes);
  let text: string;
  if (kind !== null) {
    const decoded = await decodeQrImage(bytes, kind, path);
    if (decoded === null) throw new CliError('invalid_import', `no QR code found in ${path}`);
    text = decoded;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = '';
    }
  }
  const { parseImport } = await import('../../core/formats/import-detect.js');
  const detected = text === '' && bytes.length > 0 ? binaryFile(path) : parseImport(text, basename(path));
  if (detected.kind === 'unsupported')
    throw new CliError('invalid_import', `cannot import ${path}: ${detected.message}`);
  if (detected.kind === 'entries') {
    const format = kind === null ? IMPORT_FORMATS[detected.format] : `QR code (${IMPORT_FORMATS[detected.format]})`;
    return { format, items: detected.items, warnings: detected.warnings };
  }
  const passphrase = await readPassphrase(context, { file: passphraseFile, forNewBackup: false });
  const { decryptBackup } = await import('../../core/formats/encrypted-backup.js');
  const result = await decryptBackup(detected.document, passphrase);
  if (!result.ok) {
    throw new CliError(result.reason === 'wrong_passphrase' ? 'wrong_passphrase' : 'invalid_import', result.message);
  }
  return { format: 'open2fa encrypted backup', items: result.items, warnings: [] };
}

function binaryFile(path: string): { kind: 'unsupported'; message: string } {
  return {
    kind: 'unsupported',
    message: /\.(aes|gpg|pgp)$/i.test(path)
      ? 'an encrypted andOTP backup is not supported: export it again unencrypted, import that, then delete it'
      : 'it is neither text nor a PNG/JPEG image (an encrypted backup of another app? export it unencrypted)',
  };
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
