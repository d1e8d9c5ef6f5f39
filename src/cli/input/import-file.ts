import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type * as RegistryModule from '../../core/formats/format-registry.js';
import type { ImportFormatSpec, ImportOutcome, ImportSource } from '../../core/formats/format-spec.js';
import type { ImportItem } from '../../core/formats/import-item.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { isSystemError } from '../cli-error.js';
import { readPassphrase } from '../terminal/passphrase-input.js';
import { decodeQrImage, imageKind } from './qr-image.js';

/** Bigger than any authenticator export; a mistaken path to a disk image should not be read whole. */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** How to read an import file: `--format NAME` (no detection) and `--passphrase-file`. */
export interface ImportFileOptions {
  readonly format: string | undefined;
  readonly passphraseFile: string | undefined;
}

/** What an import file held, and the format it was read as (`QR code: …` for an image). */
export interface ReadImport {
  readonly format: string;
  readonly items: readonly ImportItem[];
  readonly warnings: readonly string[];
}

/**
 * Reads the file (a QR image is decoded to its text first), finds its format by content or by
 * `--format`, and parses it. The password is asked only when the format says the file needs one.
 */
export async function readImportFile(
  context: CommandContext,
  path: string,
  options: ImportFileOptions,
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
