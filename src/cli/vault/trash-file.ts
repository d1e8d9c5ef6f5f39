import { join } from 'node:path';
import type { Entry } from '../../core/entry/model.js';
import { isRecord } from '../../core/is-record.js';
import { damagedFile, readVersionedFile, writeVersionedFile, type VersionedFile } from './versioned-file.js';

/**
 * The local safety net (issue #15): what a sync removed from the vault, kept beside `secrets.json`
 * for 30 days so that `open2fa restore NAME` can put it back. The Python client never reads it.
 */
export const TRASH_FILE = 'trash.json';
const FILE: VersionedFile<'list'> = { name: TRASH_FILE, version: 1, body: 'items', shape: 'list' };
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
  const items = (await readVersionedFile(dir, FILE)) ?? [];
  if (!items.every(isTrashItem)) throw damagedFile(join(dir, TRASH_FILE), 'bad "items"');
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
  await writeVersionedFile(dir, FILE, items);
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
