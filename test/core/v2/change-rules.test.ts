import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import type { OpenedItem } from '../../../src/core/v2/open.js';
import { judgeChange, judgeListing, type ShownItem } from '../../../src/core/v2/sync/change-rules.js';

// docs/protocol.md §2 and §4: the rules both clients apply to a change of an item they hold.

const ENTRY = makeEntry('JBSWY3DPEHPK3PXP', 'GitHub');
const live = (rev: number, sealed = true): OpenedItem => ({
  kind: 'live',
  id: 'a',
  rev,
  seq: rev,
  entry: ENTRY,
  sealed,
});
const deleted = (rev: number, sealed: boolean): OpenedItem => ({ kind: 'deleted', id: 'a', rev, seq: rev, sealed });
const failed = (rev: number): OpenedItem => ({ kind: 'failed', id: 'a', rev, seq: rev, why: 'revision' });
const SHOWN: ShownItem = { id: 'a', rev: 2, sealed: true };

describe('judgeChange', () => {
  const rows = [
    ['a lower revision', { rev: 1, deleted: false, sealed: true }, 'older'],
    ['the revision held', { rev: 2, deleted: true, sealed: false }, 'seen'],
    ['an unsealed tombstone', { rev: 3, deleted: true, sealed: false }, 'unsealed-deletion'],
    ['an unsealed envelope after a sealed one', { rev: 3, deleted: false, sealed: false }, 'unsealed-envelope'],
    ['a sealed tombstone', { rev: 3, deleted: true, sealed: true }, 'deleted'],
    ['a newer sealed envelope', { rev: 3, deleted: false, sealed: true }, 'edited'],
  ] as const;
  for (const [label, change, verdict] of rows) {
    it(`${label}: ${verdict}`, () => {
      expect(judgeChange({ rev: 2, sealed: true }, change)).toBe(verdict);
    });
  }

  it('an unsealed (revision 1) envelope of an item never held sealed is an edit', () => {
    expect(judgeChange({ rev: 2, sealed: false }, { rev: 3, deleted: false, sealed: false })).toBe('edited');
    expect(judgeChange(undefined, { rev: 1, deleted: false, sealed: false })).toBe('edited');
  });
});

describe('judgeListing (the page: what left the list, and what must not be obeyed)', () => {
  it('a sealed deletion removes the item', () => {
    expect(judgeListing([SHOWN], [deleted(3, true)], true)).toEqual({ removed: ['a'], refused: [] });
  });

  const refusals = [
    ['an unsealed tombstone', [deleted(3, false)], /no device of this account sealed that deletion/],
    ['an older envelope served again', [failed(3)], /sealed for another revision/],
    ['an unsealed envelope for a sealed item', [live(3, false)], /without its revision/],
    ['an older revision', [live(1)], /older than 2/],
    ['an item missing from a full listing', [], /missing on the server/],
  ] as const;
  for (const [label, listing, why] of refusals) {
    it(`${label} is refused: nothing is removed`, () => {
      const judged = judgeListing([SHOWN], listing, true);
      expect(judged.removed).toEqual([]);
      expect(judged.refused).toHaveLength(1);
      expect(judged.refused[0]?.why).toMatch(why);
    });
  }

  it('an edit, the same revision, and items it did not show are neither removed nor refused', () => {
    expect(judgeListing([SHOWN], [live(3)], true)).toEqual({ removed: [], refused: [] });
    expect(judgeListing([SHOWN], [live(2)], true)).toEqual({ removed: [], refused: [] });
    expect(judgeListing([], [deleted(3, false), failed(4)], true)).toEqual({ removed: [], refused: [] });
    expect(judgeListing([SHOWN], [], false)).toEqual({ removed: [], refused: [] });
  });
});
