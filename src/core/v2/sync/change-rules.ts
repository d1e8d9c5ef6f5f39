import { openFailureText, type OpenedItem } from '../open.js';

/**
 * The one rule table for a server's change to an item a device already holds (docs/protocol.md §4):
 * the CLI's merge (merge.ts) and the page (`judgeListing`) both decide with it, so "what was removed"
 * and "what is tampering" mean the same thing in every client.
 */

/** What a device holds of an item: the revision it has seen, and whether that copy was sealed with it. */
export interface HeldRevision {
  readonly rev: number;
  readonly sealed: boolean;
}

/** The server's latest change to an item, as far as the rules need it. */
export interface ServedChange {
  readonly rev: number;
  readonly deleted: boolean;
  readonly sealed: boolean;
}

/**
 * `older`: a revision below the one held (a rollback); `seen`: the revision held (its own write, or
 * merged already); `unsealed-deletion`: a tombstone no device sealed (anyone with the token can make
 * one); `unsealed-envelope`: an envelope without its revision for an item held sealed (an old one served
 * again); `deleted`: a sealed deletion by a device of the account; `edited`: a newer live version.
 */
export type ChangeVerdict = 'older' | 'seen' | 'unsealed-deletion' | 'unsealed-envelope' | 'deleted' | 'edited';

export function judgeChange(held: HeldRevision | undefined, change: ServedChange): ChangeVerdict {
  if (held !== undefined && change.rev < held.rev) return 'older';
  if (held?.rev === change.rev) return 'seen';
  if (change.deleted && !change.sealed) return 'unsealed-deletion';
  if (!change.deleted && !change.sealed && held?.sealed === true) return 'unsealed-envelope';
  return change.deleted ? 'deleted' : 'edited';
}

/** Why a change is not obeyed, in the words both clients show. */
export const UNTRUSTED_TEXT = {
  'unsealed-deletion': 'the server marks it deleted, but no device of this account sealed that deletion',
  'unsealed-envelope': 'the server serves an envelope without its revision for an item already sealed with one',
} as const;

/** Why a shown item served at its own revision with another envelope is refused. */
export const SAME_REVISION_TEXT = 'the server changed it without a new revision (not a change made by a device)';

/** An item a device shows, how it was sealed, and the envelope it was shown from. */
export interface ShownItem extends HeldRevision {
  readonly id: string;
  readonly envelope: string;
}

/** A shown item the server's listing takes away or tampers with, and why: kept, and reported. */
export interface RefusedChange {
  readonly id: string;
  readonly why: string;
}

/**
 * The server holds nothing at all for the account (sequence 0, no item, no tombstone), yet this device
 * synced `held` items with it: the account was erased (rotated to new credentials with `open2fa remote
 * rotate`, or deleted) or the server lost its data. The server keeps no marker (nothing to read for
 * whoever holds the old token); the device's own memory is the evidence. Nothing is removed, and
 * nothing is uploaded (that would bring the old account back under credentials that may have leaked).
 */
export function looksErased(held: number, listing: { readonly count: number; readonly seq: number }): boolean {
  return held > 0 && listing.count === 0 && listing.seq === 0;
}

/** The words both clients show for an erased account. */
export function erasedText(held: number): string {
  return (
    `this account is empty on the server, but this device had ${String(held)} entr${held === 1 ? 'y' : 'ies'} ` +
    'synced with it: was it rotated to new credentials or deleted on another device? Nothing was removed here ' +
    'and nothing was uploaded; use the new credentials (pair this device again)'
  );
}

export interface ListingJudgement {
  /** Shown items a device of the account deleted (a sealed tombstone): they go to the trash. */
  readonly removed: readonly string[];
  /** Shown items the listing took away without a sealed deletion: the device keeps its copy. */
  readonly refused: readonly RefusedChange[];
  /** `looksErased`: the refusals are one fact, said once (`erasedText`). */
  readonly erased: boolean;
}

/**
 * For a client that shows the server's full listing (the page): which of the items it showed are now
 * gone for good (a sealed deletion) and which the listing took away in a way it must not obey (an
 * unsealed tombstone, an envelope that fails or was sealed for another revision, an older revision, an
 * item missing from a full listing). Items the device did not show are not judged here.
 */
export function judgeListing(
  shown: readonly ShownItem[],
  listing: readonly OpenedItem[],
  envelopes: ReadonlyMap<string, string | null>,
  full: boolean,
  seq: number,
): ListingJudgement {
  const latest = new Map(listing.map((item) => [item.id, item]));
  const removed: string[] = [];
  const refused: RefusedChange[] = [];
  for (const held of shown) {
    const item = latest.get(held.id);
    if (item === undefined) {
      if (full) refused.push({ id: held.id, why: 'it is missing on the server (possible server rollback)' });
      continue;
    }
    if (item.kind === 'failed') {
      refused.push({ id: held.id, why: openFailureText(item).replace(`item ${item.id} `, '') });
      continue;
    }
    const verdict = judgeChange(held, { rev: item.rev, deleted: item.kind === 'deleted', sealed: item.sealed });
    if (verdict === 'seen') {
      // The revision shown: only the very envelope shown may stand there. Any other (a tombstone, an older
      // envelope, one without its revision) is a change no device made, since every write bumps the revision.
      if (envelopes.get(held.id) !== held.envelope) refused.push({ id: held.id, why: SAME_REVISION_TEXT });
    } else if (verdict === 'deleted') removed.push(held.id);
    else if (verdict === 'older') {
      refused.push({
        id: held.id,
        why: `the server shows revision ${String(item.rev)}, older than ${String(held.rev)} (possible server rollback)`,
      });
    } else if (verdict === 'unsealed-deletion' || verdict === 'unsealed-envelope') {
      refused.push({ id: held.id, why: UNTRUSTED_TEXT[verdict] });
    }
  }
  return { removed, refused, erased: full && looksErased(shown.length, { count: listing.length, seq }) };
}
