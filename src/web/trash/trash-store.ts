/**
 * The page's local safety net (issue #15), one record per account: the v2 items the page last showed
 * and the "recently deleted" ones, each as its envelope exactly as the server sent it (ciphertexts
 * only, sealed under the user's envelope key and bound to user, item and revision). On a device the
 * person asked to remember it lives in IndexedDB (`trash`); otherwise only in this tab's memory.
 */

/** How long a removed item is kept. */
export const TRASH_DAYS = 30;
const DAY_MS = 86_400_000;
const VERSION = 1;

/** Why an item left the list. */
export type TrashWhy =
  'deleted here' | 'deleted on another device' | 'kept: the server changed it without a valid seal';

/** An item as the page showed it: what its next listing is judged against. */
export interface HeldItem {
  readonly itemId: string;
  readonly rev: number;
  /** The envelope named its revision (protocol revision 2). */
  readonly sealed: boolean;
  readonly envelope: string;
}

/** A removed item: its last envelope, when (ms since the epoch) and why. */
export interface TrashItem extends HeldItem {
  readonly removedAt: number;
  readonly why: TrashWhy;
}

export interface AccountRecord {
  readonly shown: readonly HeldItem[];
  readonly trash: readonly TrashItem[];
}

/** The IndexedDB calls the store needs, passed in by the page (so this lazy chunk shares no module with it). */
export interface TrashDb {
  get(name: 'trash', key: string): Promise<unknown>;
  put(name: 'trash', key: string, value: unknown): Promise<void>;
}

/** Where the account's record is kept: `db` when the device is remembered, else this tab's memory. */
export interface TrashPlace {
  readonly db: TrashDb;
  readonly persist: boolean;
}

const EMPTY: AccountRecord = { shown: [], trash: [] };
const memory = new Map<string, AccountRecord>();
const listeners = new Set<() => void>();

/** The record key of an ID: a SHA-256 of it, so the ID itself is not stored (as the offline copy). */
async function recordKey(id: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`open2fa-trash\u0000${id}`));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The account's record, without trash older than 30 days at `now`; damaged or missing: empty. */
export async function loadRecord(id: string, place: TrashPlace, now: number): Promise<AccountRecord> {
  const key = await recordKey(id);
  let record = memory.get(key);
  if (record === undefined && place.persist) {
    try {
      record = parseRecord(await place.db.get('trash', key)) ?? undefined;
    } catch {
      // Private mode: nothing was kept.
    }
  }
  const found = record ?? EMPTY;
  return { shown: found.shown, trash: found.trash.filter((item) => now - item.removedAt < TRASH_DAYS * DAY_MS) };
}

/** Replaces the account's record (in IndexedDB too when `persist`), and tells the trash panel (`notify`). */
export async function saveRecord(id: string, place: TrashPlace, record: AccountRecord, notify = true): Promise<void> {
  const key = await recordKey(id);
  memory.set(key, record);
  if (place.persist) {
    try {
      await place.db.put('trash', key, { version: VERSION, ...record });
    } catch {
      // Private mode or a full quota: the copy in memory still holds it for this tab.
    }
  }
  if (notify) for (const listener of listeners) listener();
}

/** Calls `listener` after every change; returns the unsubscribe. */
export function onTrashChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function parseRecord(value: unknown): AccountRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const { version, shown, trash } = value as Record<string, unknown>;
  if (version !== VERSION || !Array.isArray(shown) || !Array.isArray(trash)) return null;
  const items: unknown[] = trash;
  const held: unknown[] = shown;
  return { shown: held.filter(isHeld), trash: items.filter(isTrashItem) };
}

function isHeld(value: unknown): value is HeldItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    typeof item.itemId === 'string' &&
    Number.isSafeInteger(item.rev) &&
    typeof item.sealed === 'boolean' &&
    typeof item.envelope === 'string'
  );
}

const WHYS: readonly string[] = [
  'deleted here',
  'deleted on another device',
  'kept: the server changed it without a valid seal',
] satisfies TrashWhy[];

function isTrashItem(value: unknown): value is TrashItem {
  if (!isHeld(value)) return false;
  const item = value as unknown as Record<string, unknown>;
  return Number.isSafeInteger(item.removedAt) && typeof item.why === 'string' && WHYS.includes(item.why);
}
