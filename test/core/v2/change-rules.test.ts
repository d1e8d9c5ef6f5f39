import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import type { OpenedItem } from '../../../src/core/v2/open.js';
import { judgeChange, judgeListing, looksErased, type ShownItem } from '../../../src/core/v2/sync/change-rules.js';

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
const SHOWN: ShownItem = { id: 'a', rev: 2, sealed: true, envelope: 'o2fa2.shown' };
/** The envelopes the server serves, by item: the one shown unless a test says otherwise. */
const SERVED = new Map([['a', 'o2fa2.newer']]);
const SAME = new Map([['a', 'o2fa2.shown']]);

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
    expect(judgeListing([SHOWN], [deleted(3, true)], SERVED, true, 10)).toEqual({
      removed: ['a'],
      refused: [],
      erased: false,
    });
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
      const judged = judgeListing([SHOWN], listing, SERVED, true, 10);
      expect(judged.removed).toEqual([]);
      expect(judged.refused).toHaveLength(1);
      expect(judged.refused[0]?.why).toMatch(why);
    });
  }

  // Every write bumps the revision, so at the revision shown only the envelope shown may stand.
  const sameRevision = [
    ['a tombstone', [deleted(2, false)], new Map([['a', null]])],
    ['a sealed-looking tombstone', [deleted(2, true)], new Map([['a', 'o2fa2.tombstone']])],
    ['an older (revision 1) envelope', [live(2, false)], new Map([['a', 'o2fa2.old']])],
    ['another sealed envelope', [live(2)], new Map([['a', 'o2fa2.other']])],
  ] as const;
  for (const [label, listing, envelopes] of sameRevision) {
    it(`${label} served at the revision shown is refused: nothing is removed`, () => {
      const judged = judgeListing([SHOWN], listing, envelopes, true, 10);
      expect(judged.removed).toEqual([]);
      expect(judged.refused).toEqual([{ id: 'a', why: expect.stringMatching(/without a new revision/) as unknown }]);
    });
  }

  it('an edit, the same revision, and items it did not show are neither removed nor refused', () => {
    expect(judgeListing([SHOWN], [live(3)], SERVED, true, 10)).toEqual({ removed: [], refused: [], erased: false });
    expect(judgeListing([SHOWN], [live(2)], SAME, true, 10)).toEqual({ removed: [], refused: [], erased: false });
    expect(judgeListing([], [deleted(3, false), failed(4)], SERVED, true, 10)).toEqual({
      removed: [],
      refused: [],
      erased: false,
    });
    expect(judgeListing([SHOWN], [], SERVED, false, 10)).toEqual({ removed: [], refused: [], erased: false });
  });
});

describe('an account erased on the server (rotated or deleted elsewhere)', () => {
  it('is an empty server (sequence 0) for a device that synced items with it', () => {
    expect(looksErased(2, { count: 0, seq: 0 })).toBe(true);
    expect(looksErased(0, { count: 0, seq: 0 })).toBe(false);
    // Every entry deleted elsewhere leaves tombstones and a sequence: not erased.
    expect(looksErased(2, { count: 2, seq: 4 })).toBe(false);
    expect(looksErased(2, { count: 0, seq: 4 })).toBe(false);
  });

  it('judgeListing says it once, keeps every card and removes nothing', () => {
    const judged = judgeListing([SHOWN, { id: 'b', rev: 1, sealed: true, envelope: 'o2fa2.b' }], [], SERVED, true, 0);
    expect(judged.erased).toBe(true);
    expect(judged.removed).toEqual([]);
    expect(judged.refused.map((refusal) => refusal.id)).toEqual(['a', 'b']);
    expect(judgeListing([SHOWN], [], SERVED, true, 7).erased).toBe(false);
  });
});
