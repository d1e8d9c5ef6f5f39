import type { Entry } from '../entry/model.js';
import { isOpen2faError } from '../errors.js';
import { openPayload, type EnvelopeBinding } from './cipher.js';
import type { V2Item } from './wire.js';

/**
 * A server item once opened with the envelope key, as every client judges it (docs/protocol.md §2 and
 * §4). The server's word (`deleted`, `rev`) counts only where the sealed payload agrees with it.
 */
export type OpenedItem =
  /** `sealed`: the payload names this revision (revision 2); `false` for a revision 1 payload. */
  | {
      readonly kind: 'live';
      readonly id: string;
      readonly rev: number;
      readonly seq: number;
      readonly entry: Entry;
      readonly sealed: boolean;
    }
  /** `sealed`: a device of the account sealed this deletion; `false` for a bare (older or forged) tombstone. */
  | {
      readonly kind: 'deleted';
      readonly id: string;
      readonly rev: number;
      readonly seq: number;
      readonly sealed: boolean;
    }
  | {
      readonly kind: 'failed';
      readonly id: string;
      readonly rev: number;
      readonly seq: number;
      readonly why: OpenFailure;
    };

/**
 * `integrity`: the envelope does not authenticate (tampered, damaged, moved from another item or user);
 * `revision`: it authenticates but was sealed for another revision (an old envelope served again);
 * `kind`: a deletion served as a live item, or an entry served as a deletion.
 */
export type OpenFailure = 'integrity' | 'revision' | 'kind';

/**
 * Each item once, at its latest change: the highest `seq` wins (the server's change order), and of
 * two answers with the same `seq` the later one. Pages may overlap, so an item can appear twice.
 * The result is in `seq` order. This is the one rule every client uses.
 */
export function latestById(items: readonly V2Item[]): V2Item[] {
  const latest = new Map<string, V2Item>();
  for (const item of items) {
    const seen = latest.get(item.id);
    if (seen === undefined || item.seq >= seen.seq) latest.set(item.id, item);
  }
  return [...latest.values()].sort((a, b) => a.seq - b.seq);
}

/** Opens one item for this user (the AAD binds user and item id). Never throws for a bad envelope. */
export async function openItem(key: CryptoKey, userId: string, item: V2Item): Promise<OpenedItem> {
  const { id, rev, seq } = item;
  if (item.deleted && item.envelope === null) return { kind: 'deleted', id, rev, seq, sealed: false };
  const binding: EnvelopeBinding = { userId, itemId: id };
  let payload;
  try {
    payload = await openPayload(key, binding, item.envelope ?? '');
  } catch (error) {
    if (isOpen2faError(error, 'integrity_failed') || isOpen2faError(error, 'invalid_envelope')) {
      return { kind: 'failed', id, rev, seq, why: 'integrity' };
    }
    throw error;
  }
  if ((payload.kind === 'tombstone') !== item.deleted) return { kind: 'failed', id, rev, seq, why: 'kind' };
  if (payload.rev !== null && payload.rev !== rev) return { kind: 'failed', id, rev, seq, why: 'revision' };
  if (payload.kind === 'tombstone') return { kind: 'deleted', id, rev, seq, sealed: true };
  return { kind: 'live', id, rev, seq, entry: payload.entry, sealed: payload.rev !== null };
}

/** Every item's latest change, opened, in `seq` order. */
export function openItems(key: CryptoKey, userId: string, items: readonly V2Item[]): Promise<OpenedItem[]> {
  return Promise.all(latestById(items).map((item) => openItem(key, userId, item)));
}

/** A failure in words, for the integrity warnings of the CLI and the page. */
export function openFailureText(failure: { readonly id: string; readonly why: OpenFailure }): string {
  switch (failure.why) {
    case 'integrity':
      return `item ${failure.id} failed its integrity check (tampered or damaged)`;
    case 'revision':
      return `item ${failure.id} holds an envelope sealed for another revision (an older version served again)`;
    case 'kind':
      return `item ${failure.id} is marked deleted or live against what its sealed content says`;
  }
}
