import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from '../../core/is-record.js';
import { CliError } from '../cli-error.js';
import { describeIoError, isSystemError } from '../cli-error.js';
import { ensurePrivateDir, writeFileAtomic } from './atomic-file.js';
import { assertVaultLocked } from './vault-lock.js';

/**
 * A JSON file of open2fa's own beside `secrets.json` (the sync state, the trash): `{"version": N,
 * "<body>": …}`, where the body is an object or a list. The Python client never reads these files.
 */
export interface VersionedFile<Shape extends keyof Bodies> {
  readonly name: string;
  readonly version: number;
  readonly body: string;
  readonly shape: Shape;
}

interface Bodies {
  readonly record: Record<string, unknown>;
  readonly list: unknown[];
}

/** The body of the file in `dir`, or `undefined` when there is no file yet. */
export async function readVersionedFile<Shape extends keyof Bodies>(
  dir: string,
  file: VersionedFile<Shape>,
): Promise<Bodies[Shape] | undefined> {
  const path = join(dir, file.name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isSystemError(error) && error.code === 'ENOENT') return undefined;
    throw new CliError('io_failed', `cannot read ${path}: ${describeIoError(error)}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw damagedFile(path, 'it is not valid JSON');
  }
  const body = isRecord(parsed) && parsed.version === file.version ? parsed[file.body] : undefined;
  const fits = file.shape === 'list' ? Array.isArray(body) : isRecord(body);
  if (!fits) {
    const shown = file.shape === 'list' ? '[…]' : '{…}';
    throw damagedFile(path, `expected {"version": ${String(file.version)}, "${file.body}": ${shown}}`);
  }
  return body as Bodies[Shape];
}

/** Replaces the file in `dir` atomically (0600) with `body`. Under the vault lock. */
export async function writeVersionedFile<Shape extends keyof Bodies>(
  dir: string,
  file: VersionedFile<Shape>,
  body: Readonly<Bodies[Shape]>,
): Promise<void> {
  assertVaultLocked(dir);
  const path = join(dir, file.name);
  try {
    await ensurePrivateDir(dir);
    await writeFileAtomic(path, `${JSON.stringify({ version: file.version, [file.body]: body }, null, 1)}\n`);
  } catch (error) {
    throw new CliError('io_failed', `cannot write ${path}: ${describeIoError(error)}`, { cause: error });
  }
}

/**
 * A damaged file is never overwritten: the trash may hold the only copy of a secret, and a damaged
 * sync state could make sync send deletions it should not.
 */
export function damagedFile(path: string, why: string): CliError {
  return new CliError('corrupt_file', `${path} is damaged (${why}); it was left untouched: move it away to start over`);
}
