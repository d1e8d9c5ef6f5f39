import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Entry } from '../../core/entry/model.js';
import { isRecord } from '../../core/is-record.js';
import { CliError } from '../cli-error.js';
import { describeIoError, isSystemError } from '../system-error.js';
import { ensurePrivateDir, writeFileAtomic } from './atomic-file.js';
import { assertVaultLocked } from './vault-lock.js';

/**
 * The local safety net (issue #15): what a sync removed from the vault, kept beside `secrets.json`
 * for 30 days so that `open2fa restore NAME` can put it back. The Python client never reads it.
 */
export const TRASH_FILE = 'trash.json';
const VERSION = 1;
/** How long a removed entry is kept. */
export const TRASH_DAYS = 30;
const DAY_MS = 86_400_000;

/** Why an entry went to the trash. */
export type TrashReason = 'deleted on another device';

/** One removed entry, when (ms since the epoch) and why. */
export interface TrashItem {
  readonly entry: Entry;
  readonly removedAt: number;
  readonly why: TrashReason;
}

/** The trash, without the items older than 30 days at `now`; a missing file is an empty trash. */
export async function loadTrash(dir: string, now: number): Promise<TrashItem[]> {
  const path = join(dir, TRASH_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isSystemError(error) && error.code === 'ENOENT') return [];
    throw new CliError('io_failed', `cannot read ${path}: ${describeIoError(error)}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupt(path, 'it is not valid JSON');
  }
  if (!isRecord(parsed) || parsed.version !== VERSION || !Array.isArray(parsed.items)) {
    throw corrupt(path, `expected {"version": ${String(VERSION)}, "items": […]}`);
  }
  const items: unknown[] = parsed.items;
  if (!items.every(isTrashItem)) throw corrupt(path, 'bad "items"');
  return items.filter((item) => fresh(item, now));
}

/** Adds `entries` (removed at `now` for `why`) and drops what is older than 30 days. Under the vault lock. */
export async function addToTrash(dir: string, entries: readonly Entry[], why: TrashReason, now: number): Promise<void> {
  if (entries.length === 0) return;
  const kept = await loadTrash(dir, now);
  await saveTrash(dir, [...kept, ...entries.map((entry) => ({ entry, removedAt: now, why }))]);
}

/** Replaces the trash atomically (0600). Under the vault lock. */
export async function saveTrash(dir: string, items: readonly TrashItem[]): Promise<void> {
  assertVaultLocked(dir);
  const path = join(dir, TRASH_FILE);
  try {
    await ensurePrivateDir(dir);
    await writeFileAtomic(path, `${JSON.stringify({ version: VERSION, items }, null, 1)}\n`);
  } catch (error) {
    throw new CliError('io_failed', `cannot write ${path}: ${describeIoError(error)}`, { cause: error });
  }
}

function fresh(item: TrashItem, now: number): boolean {
  return now - item.removedAt < TRASH_DAYS * DAY_MS;
}

function isTrashItem(value: unknown): value is TrashItem {
  return (
    isRecord(value) &&
    isRecord(value.entry) &&
    typeof value.entry.secret === 'string' &&
    (value.entry.name === null || typeof value.entry.name === 'string') &&
    typeof value.removedAt === 'number' &&
    Number.isSafeInteger(value.removedAt) &&
    value.why === 'deleted on another device'
  );
}

function corrupt(path: string, why: string): CliError {
  // Never overwritten: it may hold the only copy of a secret.
  return new CliError('corrupt_file', `${path} is damaged (${why}); it was left untouched: move it away to start over`);
}
