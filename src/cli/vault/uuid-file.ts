import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isUuid } from '../../core/uuid.js';
import { createFileAtomic, ensurePrivateDir } from './atomic-file.js';
import { CliError } from '../cli-error.js';
import { isSystemError } from '../cli-error.js';

export const UUID_FILE = 'open2fa.uuid';

/** Where the UUID came from, for `info` and for `remote init`'s "already initialized" message. */
export interface UuidSource {
  readonly uuid: string;
  readonly from: 'env' | 'file';
}

/**
 * The person's UUID: `OPEN2FA_UUID` (`fromEnv`, already checked by the settings) wins over the
 * `open2fa.uuid` file, as in the Python client.
 */
export async function resolveUuid(fromEnv: string | null, dir: string): Promise<UuidSource | null> {
  if (fromEnv !== null) return { uuid: fromEnv, from: 'env' };
  const fromFile = await readUuidFile(dir);
  return fromFile === null ? null : { uuid: fromFile, from: 'file' };
}

/** Reads `open2fa.uuid`; `null` when there is none. */
export async function readUuidFile(dir: string): Promise<string | null> {
  const path = join(dir, UUID_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isSystemError(error) && error.code === 'ENOENT') return null;
    throw new CliError('io_failed', `cannot read ${path}: ${String(error)}`, { cause: error });
  }
  const uuid = text.trim();
  if (!isUuid(uuid)) {
    throw new CliError('corrupt_file', `${path} does not hold a UUID; it was left untouched`);
  }
  return uuid;
}

/**
 * Writes a new `open2fa.uuid` (the UUID alone, no newline, mode 0600), never replacing one: returns
 * `false` when the file appeared meanwhile, so two devices' keys can never be mixed up silently.
 */
export async function createUuidFile(dir: string, uuid: string): Promise<boolean> {
  const path = join(dir, UUID_FILE);
  try {
    await ensurePrivateDir(dir);
    return await createFileAtomic(path, uuid);
  } catch (error) {
    const why = isSystemError(error) ? error.code : String(error);
    throw new CliError('io_failed', `cannot write ${path}: ${why}`, { cause: error });
  }
}
