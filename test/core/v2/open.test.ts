import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { deriveV2Keys } from '../../../src/core/v2/keys.js';
import { entryContent, sealEnvelope, sealPayload, sealTombstone } from '../../../src/core/v2/cipher.js';
import { latestById, openItem, openItems } from '../../../src/core/v2/open.js';
import type { V2Item } from '../../../src/core/v2/wire.js';

const USER = 'GiG4Xz1tmTnG3CVh38raYX';
const ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const OTHER = 'BBBBBBBBBBBBBBBBBBBBBB';
const GITHUB = makeEntry('JBSWY3DPEHPK3PXP', 'GitHub');
const key = (await deriveV2Keys(new Uint8Array(16).fill(7))).envelopeKey;
const binding = { userId: USER, itemId: ID };

const live = (rev: number, seq: number, envelope: string): V2Item => ({ id: ID, rev, seq, deleted: false, envelope });
const dead = (rev: number, seq: number, envelope: string | null): V2Item => ({
  id: ID,
  rev,
  seq,
  deleted: true,
  envelope,
});

describe('opening v2 items (docs/protocol.md §2, revision 2)', () => {
  it('opens an entry sealed for its revision, and a revision 1 payload as unsealed', async () => {
    expect(await openItem(key, USER, live(3, 9, await sealEnvelope(key, binding, GITHUB, 3)))).toEqual({
      kind: 'live',
      id: ID,
      rev: 3,
      seq: 9,
      entry: GITHUB,
      sealed: true,
    });
    const legacy = await sealPayload(key, binding, entryContent(GITHUB));
    expect(await openItem(key, USER, live(3, 9, legacy))).toMatchObject({ kind: 'live', sealed: false });
  });

  it('refuses an older envelope served again under a newer revision', async () => {
    const old = await sealEnvelope(key, binding, makeEntry('JBSWY3DPEHPK3PXP', 'old name'), 1);
    expect(await openItem(key, USER, live(2, 5, old))).toMatchObject({ kind: 'failed', why: 'revision' });
  });

  it('obeys only sealed deletions; a bare tombstone is reported as unsealed', async () => {
    expect(await openItem(key, USER, dead(4, 7, await sealTombstone(key, binding, 4)))).toEqual({
      kind: 'deleted',
      id: ID,
      rev: 4,
      seq: 7,
      sealed: true,
    });
    expect(await openItem(key, USER, dead(4, 7, null))).toMatchObject({ kind: 'deleted', sealed: false });
    // A tombstone sealed for another revision, or for another item, does not count.
    expect(await openItem(key, USER, dead(5, 8, await sealTombstone(key, binding, 4)))).toMatchObject({
      kind: 'failed',
      why: 'revision',
    });
    const elsewhere = await sealTombstone(key, { userId: USER, itemId: OTHER }, 4);
    expect(await openItem(key, USER, dead(4, 7, elsewhere))).toMatchObject({ kind: 'failed', why: 'integrity' });
  });

  it('refuses a live envelope passed off as a deletion, and a deletion passed off as live', async () => {
    const entry = await sealEnvelope(key, binding, GITHUB, 2);
    expect(await openItem(key, USER, dead(2, 3, entry))).toMatchObject({ kind: 'failed', why: 'kind' });
    const tombstone = await sealTombstone(key, binding, 2);
    expect(await openItem(key, USER, live(2, 3, tombstone))).toMatchObject({ kind: 'failed', why: 'kind' });
  });

  it('takes each item once, at its highest seq (the later answer on a tie), in seq order', async () => {
    const a = live(1, 1, 'o2fa2.AAAA');
    const b = { ...live(2, 4, 'o2fa2.BBBB') };
    const c: V2Item = { id: OTHER, rev: 1, seq: 2, deleted: false, envelope: 'o2fa2.CCCC' };
    const tie = { ...b, envelope: 'o2fa2.DDDD' };
    expect(latestById([b, c, a, tie])).toEqual([c, tie]);
    expect((await openItems(key, USER, [a, c])).map((item) => item.kind)).toEqual(['failed', 'failed']);
  });
});

describe('the envelope keeps every field of an entry', () => {
  it('round-trips groups and the favourite flag', async () => {
    const entry = makeEntry('JBSWY3DPEHPK3PXP', 'GitHub', { groups: ['Work', 'Code'], favorite: true, note: 'n' });
    const opened = await openItem(key, USER, live(1, 1, await sealEnvelope(key, binding, entry, 1)));
    expect(opened).toMatchObject({ kind: 'live', entry });
  });
});
