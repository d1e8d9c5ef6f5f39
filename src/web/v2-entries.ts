import type { Entry as OtpEntry } from '../core/entry/model.js';
import type { V2Item } from '../core/v2/wire.js';
import type { ShownEntry } from './app-state.js';
import { displayName } from './entries.js';
import { IDB } from './idb.js';
import type { ListingOptions } from './trash/v2-listing.js';

export interface OpenedItems {
  readonly entries: ShownEntry[];
  /**
   * Items whose envelope failed authentication, was sealed for another revision, or says the opposite
   * of the server's `deleted`: reported, never shown (docs/protocol.md §2).
   */
  readonly integrityFailed: number;
  /** Integrity warnings about items this page showed before (their cards stay). */
  readonly refused: readonly string[];
  /** Items deleted on another device since this page showed them (now in its trash). */
  readonly removed: readonly string[];
}

/** The page's entry for a decrypted v2 item at revision `rev`, sealed as `envelope`. */
export function v2Entry(entry: OtpEntry, itemId: string, rev: number, envelope: string): ShownEntry {
  return { ...entry, key: `v2:${itemId}`, storage: { protocol: 'v2', itemId, rev, envelope } };
}

/**
 * Opens every item's latest change with core/v2 (the rules the CLI uses), keeps the live ones and,
 * with `judge`, checks the listing against what the page showed last (trash/v2-listing.ts).
 */
export async function openItems(
  key: CryptoKey,
  userId: string,
  items: readonly V2Item[],
  { persist = false, judge = false, seq = 0, now = Date.now() } = {},
): Promise<OpenedItems> {
  // The v2 cipher and the trash load with the first unlock, not with the page (first load ≤ 35 KiB gzipped).
  const { openListing } = await import('./trash/v2-listing.js');
  const options: ListingOptions = { place: { db: IDB, persist }, judge, seq, now, shownEntry: v2Entry, displayName };
  return openListing(key, userId, items, options);
}

/**
 * The envelope of `entry` for this user and item, sealed for the revision the write creates
 * (`baseRev` + 1), with a fresh random nonce. The payload takes only the entry's fields, never the
 * page's `key` and `storage`.
 */
export async function sealEntry(
  key: CryptoKey,
  userId: string,
  itemId: string,
  entry: OtpEntry,
  baseRev: number,
): Promise<string> {
  const { sealEnvelope } = await import('../core/v2/cipher.js');
  return sealEnvelope(key, { userId, itemId }, entry, baseRev + 1);
}

/** The sealed tombstone that deletes revision `baseRev` of an item. */
export async function sealDeletion(key: CryptoKey, userId: string, itemId: string, baseRev: number): Promise<string> {
  const { sealTombstone } = await import('../core/v2/cipher.js');
  return sealTombstone(key, { userId, itemId }, baseRev + 1);
}
