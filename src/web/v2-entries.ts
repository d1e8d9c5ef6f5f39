import type { Entry as OtpEntry } from '../core/entry/model.js';
import { isOpen2faError } from '../core/errors.js';
import { openEnvelope, sealEnvelope } from '../core/v2/cipher.js';
import type { V2Item } from '../core/v2/wire.js';
import type { Entry } from './app-state.js';

export interface OpenedItems {
  readonly entries: Entry[];
  /** Live items whose envelope failed authentication (or is not an envelope): reported, never shown. */
  readonly integrityFailed: number;
}

/** The page's entry for a decrypted v2 item at revision `rev`. */
export function v2Entry(entry: OtpEntry, itemId: string, rev: number): Entry {
  return { ...entry, key: `v2:${itemId}`, storage: { protocol: 'v2', itemId, rev } };
}

/**
 * Decrypts the live items (tombstones are skipped). An envelope is opened only for this user and this
 * item id (the AAD), so one moved from another item or user fails like a changed bit: as an integrity
 * failure, counted, and the rest go on (docs/protocol.md §2).
 */
export async function openItems(key: CryptoKey, userId: string, items: readonly V2Item[]): Promise<OpenedItems> {
  const live = latestLive(items);
  const results = await Promise.all(
    live.map(async (item) => {
      try {
        return v2Entry(await openEnvelope(key, { userId, itemId: item.id }, item.envelope), item.id, item.rev);
      } catch (error) {
        if (isOpen2faError(error, 'integrity_failed') || isOpen2faError(error, 'invalid_envelope')) return null;
        throw error;
      }
    }),
  );
  const entries = results.filter((entry): entry is Entry => entry !== null);
  return { entries, integrityFailed: results.length - entries.length };
}

/** Each item's latest state (a page of changes lists an item once, but pages may overlap), minus tombstones. */
function latestLive(items: readonly V2Item[]): (V2Item & { envelope: string })[] {
  const latest = new Map<string, V2Item>();
  for (const item of items) {
    const seen = latest.get(item.id);
    if (seen === undefined || item.rev >= seen.rev) latest.set(item.id, item);
  }
  return [...latest.values()].filter(
    (item): item is V2Item & { envelope: string } => !item.deleted && item.envelope !== null,
  );
}

/**
 * The envelope of `entry` for this user and item, with a fresh random nonce. The payload takes only the
 * entry's fields (`entryPayload`), never the page's `key` and `storage`.
 */
export function sealEntry(key: CryptoKey, userId: string, itemId: string, entry: OtpEntry): Promise<string> {
  return sealEnvelope(key, { userId, itemId }, entry);
}
