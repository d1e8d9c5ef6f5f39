import type { Entry as OtpEntry } from '../core/entry/model.js';
import type { V2Item } from '../core/v2/wire.js';
import type { ShownEntry } from './app-state.js';

export interface OpenedItems {
  readonly entries: ShownEntry[];
  /**
   * Items whose envelope failed authentication, was sealed for another revision, or says the opposite
   * of the server's `deleted`: reported, never shown (docs/protocol.md §2).
   */
  readonly integrityFailed: number;
}

/** The page's entry for a decrypted v2 item at revision `rev`. */
export function v2Entry(entry: OtpEntry, itemId: string, rev: number): ShownEntry {
  return { ...entry, key: `v2:${itemId}`, storage: { protocol: 'v2', itemId, rev } };
}

/** Opens every item's latest change with core/v2 (the rules the CLI uses) and keeps the live ones. */
export async function openItems(key: CryptoKey, userId: string, items: readonly V2Item[]): Promise<OpenedItems> {
  // The v2 cipher loads with the first unlock, not with the page (first load ≤ 35 KiB gzipped).
  const { openItems: openV2Items } = await import('../core/v2/open.js');
  const opened = await openV2Items(key, userId, items);
  const entries: ShownEntry[] = [];
  let integrityFailed = 0;
  for (const item of opened) {
    if (item.kind === 'live') entries.push(v2Entry(item.entry, item.id, item.rev));
    else if (item.kind === 'failed') integrityFailed++;
  }
  return { entries, integrityFailed };
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
