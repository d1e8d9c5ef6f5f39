import type { Entry as OtpEntry } from '../../core/entry/model.js';
import { latestById, openItem, openItems, type OpenedItem } from '../../core/v2/open.js';
import { erasedText, judgeListing, type RefusedChange } from '../../core/v2/sync/change-rules.js';
import type { V2Item } from '../../core/v2/wire.js';
import type { ShownEntry } from '../app-state.js';
import type { v2Entry } from '../v2-entries.js';
import type { displayName } from '../entries.js';
import {
  loadRecord,
  saveRecord,
  type HeldItem,
  type TrashItem,
  type TrashPlace,
  type TrashWhy,
} from './trash-store.js';

/**
 * The page's v2 listing, judged against what it showed last (a lazy chunk, loaded with the first
 * unlock). core/v2 opens the items and decides (`judgeListing`, the rules the CLI's merge uses) what a
 * device of the account deleted and what the server took away without a seal; the page keeps the
 * envelopes of the first in its trash and the cards of the second, and says so.
 */

/**
 * Where the trash lives, whether this listing is judged (not when it is the offline copy), and the
 * page's own helpers (passed in, so this lazy chunk shares no module with the first load).
 */
export interface ListingOptions {
  readonly place: TrashPlace;
  readonly judge: boolean;
  /** The server's sequence number with this listing. */
  readonly seq: number;
  readonly now: number;
  readonly shownEntry: typeof v2Entry;
  readonly displayName: typeof displayName;
}

export interface ListingOutcome {
  readonly entries: ShownEntry[];
  /** Items that failed authentication and that the page had not shown (those are in `refused`). */
  readonly integrityFailed: number;
  /** One sentence per shown item the listing took away or tampered with: its card stays. */
  readonly refused: readonly string[];
  /** One sentence per item a device of the account deleted: its envelope is in the trash. */
  readonly removed: readonly string[];
}

/** The most items the trash keeps (the live quota): the oldest go first. */
const TRASH_CAP = 1_000;

export async function openListing(
  key: CryptoKey,
  userId: string,
  items: readonly V2Item[],
  options: ListingOptions,
): Promise<ListingOutcome> {
  const latest = latestById(items);
  const opened = await openItems(key, userId, latest);
  const record = await loadRecord(userId, options.place, options.now);
  const envelopes = new Map(latest.map((item) => [item.id, item.envelope]));
  const judged = options.judge
    ? judgeListing(
        record.shown.map((held) => ({ id: held.itemId, rev: held.rev, sealed: held.sealed, envelope: held.envelope })),
        opened,
        envelopes,
        true,
        options.seq,
      )
    : { removed: [], refused: [], erased: false };
  const refusedIds = new Set(judged.refused.map((refusal) => refusal.id));
  const view = liveView(opened, envelopes, refusedIds, options);
  const held = new Map(record.shown.map((item) => [item.itemId, item]));
  const trashed: TrashItem[] = [];
  const trash = (item: HeldItem, why: TrashWhy): void => {
    const known = record.trash.some((kept) => kept.itemId === item.itemId && kept.rev === item.rev);
    if (!known) trashed.push({ ...item, removedAt: options.now, why });
  };
  const served = new Map(opened.map((item) => [item.id, item.rev]));
  const refused: string[] = [];
  for (const refusal of judged.refused) {
    const item = held.get(refusal.id);
    const entry = item === undefined ? null : await openHeld(key, userId, item);
    if (item === undefined || entry === null) continue;
    // The card is based on the server's revision: renaming it uploads this copy again on top (the account
    // heals, as the CLI's next push does), and deleting it seals a real deletion.
    const rev = Math.max(item.rev, served.get(item.itemId) ?? 0);
    view.entries.push(options.shownEntry(entry, item.itemId, rev, item.envelope));
    view.shown.push(item);
    trash(item, 'kept: the server changed it without a valid seal');
    refused.push(refusalText(options.displayName(entry), refusal));
  }
  if (judged.erased) refused.splice(0, refused.length, `Warning: ${erasedText(judged.refused.length)}.`);
  const removed: string[] = [];
  for (const id of judged.removed) {
    const item = held.get(id);
    const entry = item === undefined ? null : await openHeld(key, userId, item);
    if (item === undefined || entry === null) continue;
    trash(item, 'deleted on another device');
    removed.push(`“${options.displayName(entry)}” was deleted on another device; it is kept under Recently deleted.`);
  }
  if (options.judge) {
    const kept = [...record.trash, ...trashed].slice(-TRASH_CAP);
    await saveRecord(userId, options.place, { shown: view.shown, trash: kept });
  }
  return { entries: view.entries, integrityFailed: view.integrityFailed, refused, removed };
}

/** The live items as cards and as what the page now shows; the refused ones are left to the caller. */
function liveView(
  opened: readonly OpenedItem[],
  envelopes: ReadonlyMap<string, string | null>,
  refusedIds: ReadonlySet<string>,
  { shownEntry }: ListingOptions,
): { entries: ShownEntry[]; shown: HeldItem[]; integrityFailed: number } {
  const view = { entries: [] as ShownEntry[], shown: [] as HeldItem[], integrityFailed: 0 };
  for (const item of opened) {
    if (refusedIds.has(item.id)) continue;
    if (item.kind === 'failed') view.integrityFailed++;
    const envelope = envelopes.get(item.id);
    if (item.kind !== 'live' || typeof envelope !== 'string') continue;
    view.entries.push(shownEntry(item.entry, item.id, item.rev, envelope));
    view.shown.push({ itemId: item.id, rev: item.rev, sealed: item.sealed, envelope });
  }
  return view;
}

/** After the page wrote an item (`held`, sealed for its new revision): the next listing is judged against it. */
export async function recordWrite(userId: string, place: TrashPlace, held: HeldItem, now: number): Promise<void> {
  const record = await loadRecord(userId, place, now);
  const shown = [...record.shown.filter((item) => item.itemId !== held.itemId), held];
  await saveRecord(userId, place, { ...record, shown }, false);
}

/** Opens an envelope the page kept, checked against the revision it was shown at. */
export async function openHeld(key: CryptoKey, userId: string, item: HeldItem): Promise<OtpEntry | null> {
  const { itemId: id, rev, envelope } = item;
  const opened: OpenedItem = await openItem(key, userId, { id, rev, seq: 0, deleted: false, envelope });
  return opened.kind === 'live' ? opened.entry : null;
}

function refusalText(name: string, refusal: RefusedChange): string {
  return `Integrity warning: “${name}”: ${refusal.why}. Nothing was deleted: the copy this page showed is kept.`;
}

/**
 * Before the page deletes an item: its envelope goes to the trash first ("deleted here") and leaves
 * the shown list. Returns the undo, for a deletion the server refused.
 */
export async function trashBeforeDelete(
  userId: string,
  place: TrashPlace,
  item: HeldItem,
  now: number,
): Promise<() => Promise<void>> {
  const before = await loadRecord(userId, place, now);
  const shown = before.shown.filter((held) => held.itemId !== item.itemId);
  // A kept card's envelope is the one held (its storage names the server's newer revision).
  const kept = before.shown.find((held) => held.itemId === item.itemId && held.envelope === item.envelope) ?? item;
  const trash = [...before.trash, { ...kept, removedAt: now, why: 'deleted here' as const }].slice(-TRASH_CAP);
  await saveRecord(userId, place, { shown, trash });
  return async () => {
    const current = await loadRecord(userId, place, now);
    await saveRecord(userId, place, {
      shown: [...current.shown.filter((held) => held.itemId !== item.itemId), kept],
      trash: current.trash.filter((other) => !(other.itemId === item.itemId && other.removedAt === now)),
    });
  };
}
