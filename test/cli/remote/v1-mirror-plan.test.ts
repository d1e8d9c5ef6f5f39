import { describe, expect, it } from 'vitest';
import {
  heldBefore,
  pendingDeletion,
  planMirror,
  renamesFrom1x,
  type LocalCopy,
  type RemoteCopy,
} from '../../../src/cli/remote/v1-mirror-plan.js';
import type { KnownCopies } from '../../../src/cli/vault/v1-copies-file.js';

// The rules that keep a mixed account's v1 copies in step with the vault (issue #16). Fingerprints
// stand for secrets here: "A" is the secret of fingerprint "fp-a", spelled "A" or "a".

function local(fp: string, name: string | null, usable = true, secret = fp.slice(3).toUpperCase()): LocalCopy {
  return { secret, name, fingerprint: fp, usable };
}

function remote(fp: string, name: string | null, secret = fp.slice(3).toUpperCase()): RemoteCopy {
  return { totp: { enc_secret: `enc-${secret}`, name }, secret, fingerprint: fp };
}

const mirrored = (name: string | null) => ({ name, mirrored: true });
const held = (name: string | null) => ({ name, mirrored: false });

describe('planMirror', () => {
  it('writes a new secret, leaves an up-to-date copy alone and remembers both', () => {
    const plan = planMirror([local('fp-a', 'A'), local('fp-b', 'B')], [remote('fp-b', 'B')], {});
    expect(plan.writes).toEqual([{ encSecret: null, secret: 'A', name: 'A' }]);
    expect(plan.deletes).toEqual([]);
    expect(plan.known).toEqual({ 'fp-a': mirrored('A'), 'fp-b': mirrored('B') });
  });

  it('renames a copy by upserting its own enc_secret: no second copy', () => {
    const plan = planMirror([local('fp-a', 'A work')], [remote('fp-a', 'A')], { 'fp-a': mirrored('A') });
    expect(plan.writes).toEqual([{ encSecret: 'enc-A', secret: 'A', name: 'A work' }]);
    expect(plan.deletes).toEqual([]);
  });

  it('keeps the spelling 1.x reads and removes the others once it is written', () => {
    // An unpadded copy (an older CLI wrote it; 1.x cannot decode it) beside a readable one.
    const copies = [
      remote('fp-a', 'old', 'MFRGGZDFMZTWQ2LKNNWG23TPOA'),
      remote('fp-a', 'old', 'mfrggzdfmztwq2lknnwg23tpoa======'),
    ];
    const plan = planMirror([local('fp-a', 'new', true, 'MFRGGZDFMZTWQ2LKNNWG23TPOA======')], copies, {});
    expect(plan.writes).toEqual([
      { encSecret: 'enc-mfrggzdfmztwq2lknnwg23tpoa======', secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOA======', name: 'new' },
    ]);
    expect(plan.deletes).toEqual([copies[0]?.totp]);
  });

  it('writes the local spelling when v1 holds only one 1.x cannot read, then removes that one', () => {
    const unreadable = remote('fp-a', 'A', 'MFRGGZDFMZTWQ2LKNNWG23TPOA');
    const plan = planMirror([local('fp-a', 'A', true, 'MFRGGZDFMZTWQ2LKNNWG23TPOA======')], [unreadable], {});
    expect(plan.writes).toEqual([{ encSecret: null, secret: 'MFRGGZDFMZTWQ2LKNNWG23TPOA======', name: 'A' }]);
    expect(plan.deletes).toEqual([unreadable.totp]);
  });

  it('removes the copy of a secret deleted here, and forgets it', () => {
    const plan = planMirror([], [remote('fp-a', 'A')], { 'fp-a': mirrored('A') });
    expect(plan.deletes).toEqual([{ enc_secret: 'enc-A', name: 'A' }]);
    expect(plan.known).toEqual({});
  });

  it('removes the copy of a secret held here but never mirrored, once it is deleted here', () => {
    expect(planMirror([], [remote('fp-a', 'A')], { 'fp-a': held(null) }).deletes).toHaveLength(1);
  });

  it('keeps a copy this device never held: a 1.x client added it', () => {
    const plan = planMirror([local('fp-b', 'B')], [remote('fp-a', 'A')], { 'fp-b': mirrored('B') });
    expect(plan.deletes).toEqual([]);
    expect(plan.known).toEqual({ 'fp-b': mirrored('B') });
  });

  it('removes a mirrored copy whose entry 1.x can no longer use (digits, algorithm, period or type edited)', () => {
    const plan = planMirror([local('fp-a', 'A', false)], [remote('fp-a', 'A')], { 'fp-a': mirrored('A') });
    expect(plan).toMatchObject({ writes: [], deletes: [{ enc_secret: 'enc-A' }], v2Only: 1 });
    expect(plan.known).toEqual({ 'fp-a': held('A') });
  });

  it('keeps a 1.x copy of a secret held here in a form 1.x cannot use, and never mirrored', () => {
    const plan = planMirror([local('fp-a', 'A', false)], [remote('fp-a', 'A')], { 'fp-a': held('A') });
    expect(plan).toMatchObject({ writes: [], deletes: [], v2Only: 1 });
  });

  it('writes one copy for two local entries of one secret, under the first name', () => {
    const plan = planMirror([local('fp-a', 'first'), local('fp-a', 'second', true, 'a')], [], {});
    expect(plan.writes).toEqual([{ encSecret: null, secret: 'A', name: 'first' }]);
  });
});

describe('renamesFrom1x', () => {
  const known: KnownCopies = { 'fp-a': mirrored('A'), 'fp-b': mirrored('B') };

  it('takes the name a 1.x client gave a copy whose local entry kept the synced name', () => {
    const renames = renamesFrom1x(
      [local('fp-a', 'A'), local('fp-b', 'B')],
      [remote('fp-a', 'A2'), remote('fp-b', 'B')],
      known,
    );
    expect([...renames]).toEqual([[0, 'A2']]);
  });

  it('keeps a local rename when both sides renamed, and ignores copies never mirrored', () => {
    expect(renamesFrom1x([local('fp-a', 'A local')], [remote('fp-a', 'A2')], known).size).toBe(0);
    expect(renamesFrom1x([local('fp-c', 'C')], [remote('fp-c', 'C2')], { 'fp-c': held('C') }).size).toBe(0);
  });

  it('does nothing while a copy with the synced name is still there', () => {
    const copies = [remote('fp-a', 'A'), remote('fp-a', 'A2', 'a')];
    expect(renamesFrom1x([local('fp-a', 'A')], copies, known).size).toBe(0);
  });
});

describe('heldBefore and pendingDeletion', () => {
  it('adds what is held now to what was known, without losing a synced name', () => {
    const before = heldBefore({ 'fp-a': mirrored('A') }, [
      { fingerprint: 'fp-a', name: null },
      { fingerprint: 'fp-b', name: 'B' },
    ]);
    expect(before).toEqual({ 'fp-a': mirrored('A'), 'fp-b': held('B') });
  });

  it('a pull leaves a copy whose secret this device held and no longer holds', () => {
    const known: KnownCopies = { 'fp-a': mirrored('A') };
    expect(pendingDeletion(remote('fp-a', 'A'), [], known)).toBe(true);
    expect(pendingDeletion(remote('fp-a', 'A'), [local('fp-a', 'A')], known)).toBe(false);
    expect(pendingDeletion(remote('fp-b', 'B'), [], known)).toBe(false);
  });
});
