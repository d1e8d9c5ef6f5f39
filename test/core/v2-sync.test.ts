import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeEntry, type Entry } from '../../src/core/entry/model.js';
import {
  EMPTY_SYNC_STATE,
  fingerprintsOf,
  mergeSync,
  type LocalEntry,
  type MergeResult,
  type RemoteFailure,
  type RemoteItem,
  type SyncedItem,
  type SyncState,
} from '../../src/core/v2/sync/merge.js';
import type { OpenedItem } from '../../src/core/v2/open.js';
import { runV2Sync, type V2Transport } from '../../src/core/v2/sync/run.js';

const GITHUB = makeEntry('JBSWY3DPEHPK3PXP', 'GitHub');
const MAIL = makeEntry('I65VU7K5ZQL7WB4E', 'Mail');

async function local(entry: Entry): Promise<LocalEntry> {
  return { entry, ...(await fingerprintsOf(entry)) };
}

async function live(id: string, rev: number, seq: number, entry: Entry): Promise<RemoteItem> {
  return { id, rev, seq, entry, fingerprints: await fingerprintsOf(entry), sealed: true };
}

/** A tombstone sealed by a device of the account (protocol revision 2). */
function tombstone(id: string, rev: number, seq: number): RemoteItem {
  return { id, rev, seq, entry: null, fingerprints: null, sealed: true };
}

/** A state that remembers `entries` as synced under ids x0, x1, … at revision 1. */
async function syncedState(entries: readonly Entry[], seq = entries.length): Promise<SyncState> {
  const items = Object.fromEntries(
    await Promise.all(
      entries.map(async (entry, index): Promise<[string, SyncedItem]> => [
        `x${String(index)}`,
        { rev: 1, ...(await fingerprintsOf(entry)) },
      ]),
    ),
  );
  return { seq, cursor: seq, items, deletions: {} };
}

let ids = 0;
const newId = (): string => `new${String(++ids)}`;

async function merge(
  entries: readonly Entry[],
  state: SyncState,
  items: readonly RemoteItem[],
  options: { seq?: number; full?: boolean; failures?: RemoteFailure[] } = {},
): Promise<MergeResult> {
  return mergeSync({
    local: await Promise.all(entries.map(local)),
    state,
    remote: {
      items,
      failures: options.failures ?? [],
      seq: options.seq ?? Math.max(state.seq, ...items.map((item) => item.seq)),
      full: options.full ?? false,
    },
    newId,
  });
}

const names = (result: MergeResult): (string | null)[] => result.entries.map((merged) => merged.entry.name).sort();

describe('mergeSync (docs/protocol.md §4)', () => {
  it('uploads new entries, and adopts an identical remote item instead of duplicating it', async () => {
    const first = await merge([GITHUB, MAIL], EMPTY_SYNC_STATE, [await live('r1', 1, 1, MAIL)], { full: true });
    expect(first.writes).toEqual([
      { kind: 'put', id: expect.stringMatching(/^new/) as string, baseRev: 0, entry: GITHUB },
    ]);
    expect(names(first)).toEqual(['GitHub', 'Mail']);
    expect(Object.keys(first.state.items)).toEqual(['r1']);
  });

  it('sends a rename as an edit at the base revision', async () => {
    const state = await syncedState([GITHUB]);
    const result = await merge([{ ...GITHUB, name: 'Work' }], state, []);
    expect(result.writes).toEqual([{ kind: 'put', id: 'x0', baseRev: 1, entry: { ...GITHUB, name: 'Work' } }]);
  });

  it('records a local deletion and sends it with the revision seen', async () => {
    const state = await syncedState([GITHUB, MAIL]);
    const result = await merge([MAIL], state, []);
    expect(result.writes).toEqual([{ kind: 'delete', id: 'x0', baseRev: 1 }]);
    expect(result.state.deletions).toEqual({ x0: 1 });
  });

  it('applies a remote tombstone to an unedited copy (a delete from the latest revision)', async () => {
    const state = await syncedState([GITHUB, MAIL]);
    const result = await merge([GITHUB, MAIL], state, [tombstone('x0', 2, 3)]);
    expect(names(result)).toEqual(['Mail']);
    expect(result.writes).toEqual([]);
    expect(result.summary.removed).toBe(1);
  });

  it('names what a remote deletion removed here, so clients can keep it in the trash', async () => {
    const state = await syncedState([GITHUB, MAIL]);
    const result = await merge([GITHUB, MAIL], state, [tombstone('x0', 2, 3)]);
    expect(result.removed).toEqual([GITHUB]);
  });

  it('an unsealed tombstone deletes nothing: tampering is reported and the copy goes back on top', async () => {
    const state = await syncedState([GITHUB, MAIL]);
    const result = await merge([GITHUB, MAIL], state, [{ ...tombstone('x0', 2, 3), sealed: false }]);
    expect(names(result)).toEqual(['GitHub', 'Mail']);
    expect(result.removed).toEqual([]);
    expect(result.summary.removed).toBe(0);
    expect(result.writes).toEqual([{ kind: 'put', id: 'x0', baseRev: 2, entry: GITHUB }]);
    expect(result.warnings).toEqual([
      {
        code: 'integrity',
        message:
          'item x0: the server marks it deleted, but no device of this account sealed that deletion; the local copy is kept and uploaded again',
      },
    ]);
  });

  it('an unsealed tombstone for an item this device never had changes nothing and says nothing', async () => {
    const result = await merge([MAIL], EMPTY_SYNC_STATE, [{ ...tombstone('gone', 2, 3), sealed: false }]);
    expect(names(result)).toEqual(['Mail']);
    expect(result.warnings).toEqual([]);
  });

  it('a revision 1 envelope for an item already sealed with its revision is an old one served again', async () => {
    const state = await syncedState([GITHUB]);
    const base = state.items.x0;
    if (base === undefined) throw new Error('no item x0');
    const sealedState = { ...state, items: { x0: { ...base, sealed: true as const } } };
    const old = { ...(await live('x0', 2, 3, { ...GITHUB, name: 'old' })), sealed: false };
    const result = await merge([GITHUB], sealedState, [old]);
    expect(names(result)).toEqual(['GitHub']);
    expect(result.writes).toEqual([{ kind: 'put', id: 'x0', baseRev: 2, entry: GITHUB }]);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['integrity']);
  });

  it('edit beats a stale delete: a tombstone for an item edited here re-uploads the edit on top of it', async () => {
    const state = await syncedState([GITHUB]);
    const edited = { ...GITHUB, name: 'GitHub 2' };
    const result = await merge([edited], state, [tombstone('x0', 2, 2)]);
    expect(names(result)).toEqual(['GitHub 2']);
    expect(result.writes).toEqual([{ kind: 'put', id: 'x0', baseRev: 2, entry: edited }]);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['restored']);
  });

  it('edit beats a stale delete: a local delete meeting a newer remote revision keeps the remote item', async () => {
    const state = await syncedState([GITHUB]);
    const renamed = { ...GITHUB, name: 'Renamed' };
    const result = await merge([], state, [await live('x0', 2, 2, renamed)]);
    expect(result.entries.map((merged) => merged.entry)).toEqual([renamed]);
    expect(result.writes).toEqual([]);
    expect(result.state.deletions).toEqual({});
  });

  it('concurrent edits keep both: the remote one under its id, ours as a new "(conflict)" item', async () => {
    const state = await syncedState([GITHUB]);
    const ours = { ...GITHUB, name: 'Ours' };
    const theirs = { ...GITHUB, name: 'Theirs' };
    const result = await merge([ours], state, [await live('x0', 2, 2, theirs)]);
    expect(names(result)).toEqual(['Ours (conflict)', 'Theirs']);
    expect(result.writes).toEqual([
      {
        kind: 'put',
        id: expect.stringMatching(/^new/) as string,
        baseRev: 0,
        entry: { ...ours, name: 'Ours (conflict)' },
      },
    ]);
    expect(result.state.items.x0?.rev).toBe(2);
    expect(result.summary.conflicts).toBe(1);
  });

  it('the same edit on both sides is no conflict', async () => {
    const state = await syncedState([GITHUB]);
    const same = { ...GITHUB, name: 'Same' };
    const result = await merge([same], state, [await live('x0', 2, 2, same)]);
    expect(result.writes).toEqual([]);
    expect(result.entries).toEqual([{ entry: same, from: 0 }]);
  });

  it('rollback (lower seq): warns, keeps local data, applies and sends no deletion, keeps the seq', async () => {
    const state = { ...(await syncedState([GITHUB, MAIL], 10)), deletions: { gone: 4 } };
    const result = await merge([GITHUB, MAIL], state, [tombstone('x0', 2, 3)], { seq: 5, full: true });
    expect(result.rollback).toBe(true);
    expect(result.warnings.some((warning) => warning.message.includes('rollback'))).toBe(true);
    expect(names(result)).toEqual(['GitHub', 'Mail']);
    expect(result.writes.filter((write) => write.kind === 'delete')).toEqual([]);
    // Our copy goes back on top of the tombstone.
    expect(result.writes).toContainEqual({ kind: 'put', id: 'x0', baseRev: 2, entry: GITHUB });
    expect(result.state.seq).toBe(10);
  });

  it('rollback (lower item revision): keeps the newer local copy and uploads it again', async () => {
    const state = { ...(await syncedState([GITHUB])), items: { x0: { rev: 5, ...(await fingerprintsOf(GITHUB)) } } };
    const result = await merge([GITHUB], state, [tombstone('x0', 3, 9)], { seq: 9 });
    expect(result.warnings.map((warning) => warning.code)).toEqual(['rollback']);
    expect(result.warnings[0]?.message).toMatch(/rollback.*revision 3, older than 5/);
    expect(names(result)).toEqual(['GitHub']);
    expect(result.writes).toEqual([{ kind: 'put', id: 'x0', baseRev: 3, entry: GITHUB }]);
  });

  it('integrity: a failed item is reported by id, skipped and fetched again; the rest continues', async () => {
    const result = await merge([], EMPTY_SYNC_STATE, [await live('ok', 1, 1, MAIL)], {
      failures: [{ id: 'bad', seq: 2, why: 'integrity' }],
      seq: 3,
      full: true,
    });
    expect(result.warnings).toEqual([
      { code: 'integrity', message: 'item bad failed its integrity check (tampered or damaged); skipped' },
    ]);
    expect(names(result)).toEqual(['Mail']);
    expect(result.state.items.bad).toBeUndefined();
    expect(result.state.cursor).toBe(1);
    expect(result.state.seq).toBe(3);
  });
});

/** An in-memory v2 server with revisions, a sequence and tombstones, as the real one (§3). */
class MemoryServer {
  seq = 0;
  readonly items = new Map<string, { rev: number; seq: number; entry: Entry | null }>();

  transport(): V2Transport {
    return {
      changes: (since) => {
        const items: OpenedItem[] = [...this.items]
          .filter(([, item]) => item.seq > since)
          .map(([id, { rev, seq, entry }]): OpenedItem =>
            entry === null
              ? { kind: 'deleted', id, rev, seq, sealed: true }
              : { kind: 'live', id, rev, seq, entry, sealed: true },
          )
          .sort((a, b) => a.seq - b.seq);
        return Promise.resolve({ ok: true, value: { items, seq: this.seq } });
      },
      put: (id, baseRev, entry) => Promise.resolve({ ok: true, value: this.#write(id, baseRev, entry) }),
      delete: (id, baseRev) =>
        Promise.resolve({
          ok: true,
          value: this.items.has(id) ? this.#write(id, baseRev, null) : { status: 'not_found' },
        }),
    };
  }

  #write(id: string, baseRev: number, entry: Entry | null) {
    const current = this.items.get(id);
    if (current === undefined && baseRev !== 0) return { status: 'not_found' as const };
    if ((current?.rev ?? 0) !== baseRev) return { status: 'conflict' as const };
    const rev = baseRev + 1;
    this.items.set(id, { rev, seq: ++this.seq, entry });
    return { status: 'ok' as const, rev };
  }
}

interface SimDevice {
  entries: Entry[];
  state: SyncState;
}

type Operation =
  | { kind: 'add'; device: number }
  | { kind: 'rename'; device: number; pick: number }
  | { kind: 'delete'; device: number; pick: number }
  | { kind: 'sync'; device: number; push: boolean };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), device: fc.nat(1) }),
  fc.record({ kind: fc.constant('rename' as const), device: fc.nat(1), pick: fc.nat(5) }),
  fc.record({ kind: fc.constant('delete' as const), device: fc.nat(1), pick: fc.nat(5) }),
  fc.record({ kind: fc.constant('sync' as const), device: fc.nat(1), push: fc.boolean() }),
);

async function sync(server: MemoryServer, device: SimDevice, push: boolean): Promise<void> {
  const run = await runV2Sync(server.transport(), device.entries, device.state, { push, newId });
  if (!run.ok) throw new Error(`sync failed: ${run.failure.kind}`);
  const result = run.value;
  device.entries = result.entries.map((merged) => merged.entry);
  device.state = result.state;
}

/**
 * Who did what when, to decide whether a delete came from a device that had seen the latest
 * revision: every rename of the secret elsewhere was pushed and then pulled by the deleting device
 * before the delete.
 */
class History {
  readonly #syncs: { device: number; step: number; push: boolean }[] = [];
  readonly #renames: { device: number; step: number; secret: string; name: string }[] = [];
  readonly #deletes: { device: number; step: number; secret: string }[] = [];

  synced(device: number, step: number, push: boolean): void {
    this.#syncs.push({ device, step, push });
  }

  renamed(device: number, step: number, secret: string, name: string): void {
    this.#renames.push({ device, step, secret, name });
  }

  deleted(device: number, step: number, secret: string): void {
    this.#deletes.push({ device, step, secret });
  }

  /** Some delete of the secret was informed of every edit made on the other device. */
  deletedFromLatest(secret: string): boolean {
    return this.#deletes.some(
      (deletion) =>
        deletion.secret === secret &&
        this.#renames.every(
          (rename) =>
            rename.secret !== secret ||
            rename.device === deletion.device ||
            this.#seen(rename, deletion) ||
            // The same edit made on both devices merges into one (no conflict): an informed delete of
            // the other device's identical edit is informed of this one too.
            this.#renames.some(
              (same) =>
                same !== rename &&
                same.secret === secret &&
                same.name === rename.name &&
                (same.device === deletion.device ? same.step < deletion.step : this.#seen(same, deletion)),
            ) ||
            // An edit its own device then deleted is no edit that beats another device's delete.
            this.#deletes.some(
              (own) => own.device === rename.device && own.secret === secret && own.step > rename.step,
            ),
        ),
    );
  }

  #seen(rename: { device: number; step: number }, deletion: { device: number; step: number }): boolean {
    if (rename.step > deletion.step) return false;
    const published = this.#syncs.find((sync) => sync.device === rename.device && sync.push && sync.step > rename.step);
    return (
      published !== undefined &&
      this.#syncs.some(
        (sync) => sync.device === deletion.device && sync.step > published.step && sync.step < deletion.step,
      )
    );
  }
}

describe('sync never loses a secret (property)', () => {
  it('holds for random interleavings on two devices, then syncs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 25 }), fc.nat(3), async (operations, initial) => {
        const server = new MemoryServer();
        let counter = 0;
        // Secrets are unique per add, so "lost" is a matter of which secrets survive.
        const fresh = (): Entry =>
          makeEntry(`SECRET${'A'.repeat(counter)}${String.fromCharCode(66 + (counter++ % 24))}`, `n${String(counter)}`);
        const devices: SimDevice[] = [
          { entries: Array.from({ length: initial }, fresh), state: EMPTY_SYNC_STATE },
          { entries: [fresh()], state: EMPTY_SYNC_STATE },
        ];
        const everything = new Set(devices.flatMap((device) => device.entries.map((entry) => entry.secret)));
        const history = new History();
        for (const [step, op] of operations.entries()) {
          const device = devices[op.device];
          if (device === undefined) continue;
          if (op.kind === 'add') {
            const entry = fresh();
            everything.add(entry.secret);
            device.entries.push(entry);
          } else if (op.kind === 'sync') {
            await sync(server, device, op.push);
            history.synced(op.device, step, op.push);
          } else {
            const target = device.entries[op.pick % Math.max(1, device.entries.length)];
            if (target === undefined) continue;
            if (op.kind === 'rename') {
              const renamed = { ...target, name: `${target.name ?? ''}'` };
              device.entries = device.entries.map((entry) => (entry === target ? renamed : entry));
              history.renamed(op.device, step, target.secret, renamed.name);
            } else {
              device.entries = device.entries.filter((entry) => entry !== target);
              history.deleted(op.device, step, target.secret);
            }
          }
        }
        for (let round = 0; round < 3; round++) {
          for (const device of devices) await sync(server, device, true);
        }
        const [a, b] = devices.map((device) => new Set(device.entries.map((entry) => entry.secret)));
        // Converged, and every secret survives unless some device deleted it.
        expect([...(a ?? [])].sort()).toEqual([...(b ?? [])].sort());
        for (const secret of everything) {
          if (!history.deletedFromLatest(secret)) expect(a?.has(secret), secret).toBe(true);
        }
        // A secret deleted without a concurrent edit elsewhere is really gone from the server.
        const live = new Set(
          [...server.items.values()].flatMap((item) => (item.entry === null ? [] : [item.entry.secret])),
        );
        expect([...live].sort()).toEqual([...(a ?? [])].sort());
      }),
      { numRuns: 150 },
    );
  });
});
