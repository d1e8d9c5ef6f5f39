import { deriveV1Credentials } from '../../src/core/v1/keys.js';
import { sealTombstone } from '../../src/core/v2/cipher.js';
import { deriveV2Keys } from '../../src/core/v2/keys.js';
import { json, type Answer } from './hostile-proxy.js';

/**
 * Issue #15's attacks on a v2 listing, as one table that the CLI suite (hostile-server.test.ts) and the
 * page suite (hostile-page.test.ts) both loop over. Each forges the item a device holds (`target`, as
 * it first saw it) into something no honest server would serve; every client must refuse it, say so
 * and keep its copy.
 */

export interface WireItem {
  id: string;
  rev: number;
  seq: number;
  deleted: boolean;
  envelope: string | null;
}

export interface Changes {
  items: WireItem[];
  seq: number;
  more: boolean;
}

export const isItems = (path: string): boolean => path.startsWith('/api/v2/items?');

/** What a forger may use: sealed tombstones a device of the account really made (for other items or revisions). */
export interface Forgery {
  readonly target: WireItem;
  readonly uuid: string;
  readonly seq: number;
}

export interface ListingAttack {
  readonly label: string;
  /** Before the attack another device renames the target to `… work` (the client holds revision 2). */
  readonly renamedFirst: boolean;
  readonly forge: (forgery: Forgery) => Promise<WireItem>;
  /** What the CLI's warning says about the target, after `item <id>: ` or `item <id> `. */
  readonly cli: string;
  /** What the page's integrity warning says about the target, after `“<name>”: `. */
  readonly page: string;
}

async function tombstone(uuid: string, itemId: string, rev: number): Promise<string> {
  const { id, key } = await deriveV1Credentials(uuid);
  return sealTombstone((await deriveV2Keys(key)).envelopeKey, { userId: id, itemId }, rev);
}

export const LISTING_ATTACKS: readonly ListingAttack[] = [
  {
    label: 'an unsealed tombstone (envelope null, rev + 1)',
    renamedFirst: false,
    forge: ({ target, seq }) => Promise.resolve({ ...target, rev: target.rev + 1, seq, deleted: true, envelope: null }),
    cli: 'the server marks it deleted, but no device of this account sealed that deletion',
    page: 'the server marks it deleted, but no device of this account sealed that deletion',
  },
  {
    label: 'a sealed tombstone of another item',
    renamedFirst: false,
    forge: async ({ target, uuid, seq }) => ({
      ...target,
      rev: target.rev + 1,
      seq,
      deleted: true,
      envelope: await tombstone(uuid, 'item-0000000000000000', target.rev + 1),
    }),
    cli: 'failed its integrity check (tampered or damaged)',
    page: 'failed its integrity check (tampered or damaged)',
  },
  {
    label: 'a sealed tombstone of another revision',
    renamedFirst: false,
    forge: async ({ target, uuid, seq }) => ({
      ...target,
      rev: target.rev + 4,
      seq,
      deleted: true,
      envelope: await tombstone(uuid, target.id, target.rev + 1),
    }),
    cli: 'holds an envelope sealed for another revision',
    page: 'holds an envelope sealed for another revision',
  },
  {
    label: 'an older envelope served under a newer revision',
    renamedFirst: true,
    forge: ({ target, seq }) => Promise.resolve({ ...target, rev: target.rev + 2, seq }),
    cli: 'holds an envelope sealed for another revision',
    page: 'holds an envelope sealed for another revision',
  },
];

/**
 * The proxy's answer to a listing during an attack: the server's own items (a page lists everything, the
 * CLI only what changed since its cursor) with the target replaced by the forgery, one change later.
 */
export function forgedListing(answer: Answer, forged: WireItem): Answer {
  const page = JSON.parse(answer.body) as Changes;
  const items = [...page.items.filter((item) => item.id !== forged.id), forged];
  return json(200, { items, seq: forged.seq, more: false });
}
