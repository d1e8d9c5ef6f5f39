import type { Entry } from '../../entry/model.js';
import { openFailureText } from '../open.js';
import { judgeChange, UNTRUSTED_TEXT } from './change-rules.js';
import { latestById, showsOlderState } from './snapshot.js';
import { conflictCopy } from './state.js';
import type { LocalEntry, MergeInput, MergeResult, RemoteItem, SyncWarning, SyncWrite, SyncedItem } from './types.js';

export * from './types.js';
export * from './state.js';

/**
 * The client side of protocol v2 sync (docs/protocol.md §4): a pure merge of local entries, the
 * device's sync state and the server's changes into new local entries, a new state and the writes to
 * send; no I/O and no clock. Never loses a secret: an edit beats a stale delete, concurrent edits keep
 * both, a remote tombstone (sealed) deletes only an unedited local copy, and nothing is deleted (here
 * or on the server) from a state older than one already seen.
 */
export function mergeSync(input: MergeInput): MergeResult {
  return new Merge(input).run();
}

/** A remembered item's local copy. */
interface Link {
  readonly index: number;
  /** The local entry differs from the synced content (renamed, counter moved…): upload it. */
  edited: boolean;
}

/** An entry in the merged list: its fingerprints and the input entry it keeps unchanged, if any. */
interface Slot extends LocalEntry {
  readonly from: number | null;
}

const UNKNOWN = '';

class Merge {
  readonly #input: MergeInput;
  readonly #slots: (Slot | null)[];
  readonly #items: Map<string, SyncedItem>;
  readonly #deletions: Map<string, number>;
  readonly #links = new Map<string, Link>();
  /** Slots the server does not hold yet: uploaded as new items. */
  readonly #fresh = new Set<number>();
  readonly #failed: Set<string>;
  readonly #warnings: SyncWarning[] = [];
  /** The server's sequence number is below the highest seen. */
  readonly #behind: boolean;
  /** Any sign of an older server state: then nothing is deleted, here or there. */
  readonly #rollback: boolean;
  readonly #counts = { added: 0, updated: 0, removed: 0, conflicts: 0 };
  readonly #removed: Entry[] = [];

  constructor(input: MergeInput) {
    this.#input = input;
    this.#slots = input.local.map((local, index) => ({ ...local, from: index }));
    this.#items = new Map(Object.entries(input.state.items));
    this.#deletions = new Map(Object.entries(input.state.deletions));
    this.#failed = new Set(input.remote.failures.map((failure) => failure.id));
    this.#behind = input.remote.seq < input.state.seq;
    this.#rollback = this.#behind || showsOlderState(input);
  }

  run(): MergeResult {
    const { remote, state } = this.#input;
    for (const failure of remote.failures) {
      this.#warn('integrity', `${openFailureText(failure)}; skipped`);
    }
    if (this.#behind) {
      this.#warn(
        'rollback',
        `possible server rollback: the server is at change ${String(remote.seq)} but this device has seen ` +
          `${String(state.seq)}; local data is kept and no deletion is propagated`,
      );
    }
    this.#link();
    for (const item of latestById(remote.items)) {
      if (!this.#failed.has(item.id)) this.#apply(item);
    }
    if (remote.full) this.#checkMissing(new Set([...remote.items, ...remote.failures].map((item) => item.id)));
    return this.#result();
  }

  /** Pairs remembered items with local entries: identical content first, then the same secret (an edit). */
  #link(): void {
    const free = new Set(this.#slots.keys());
    const remembered = [...this.#items];
    for (const [id, item] of remembered) {
      const index = [...free].find((candidate) => this.#slot(candidate).fingerprint === item.fingerprint);
      if (index === undefined) continue;
      free.delete(index);
      this.#links.set(id, { index, edited: false });
    }
    for (const [id, item] of remembered) {
      if (this.#links.has(id)) continue;
      const index = [...free].find((candidate) => this.#slot(candidate).secret === item.secret);
      if (index === undefined) {
        // Gone here since the last sync: a local deletion, sent with the revision seen (If-Match).
        this.#items.delete(id);
        this.#deletions.set(id, item.rev);
        continue;
      }
      free.delete(index);
      this.#links.set(id, { index, edited: true });
    }
    for (const index of free) this.#fresh.add(index);
  }

  #apply(item: RemoteItem): void {
    const synced = this.#items.get(item.id);
    const known = synced?.rev ?? this.#deletions.get(item.id);
    const held = known === undefined ? undefined : { rev: known, sealed: synced?.sealed === true };
    const verdict = judgeChange(held, { rev: item.rev, deleted: item.entry === null, sealed: item.sealed });
    if (verdict === 'older') {
      this.#rolledBack(item, `item ${item.id} is at revision ${String(item.rev)}, older than ${String(known)}`);
    } else if (verdict === 'unsealed-deletion' || verdict === 'unsealed-envelope') {
      this.#untrusted(item, UNTRUSTED_TEXT[verdict]);
    } else if (verdict === 'seen') {
      // This device's own write, or a change it has already merged.
    } else if (item.entry === null || item.fingerprints === null) this.#remoteDeleted(item);
    else this.#remoteEdited(item, { entry: item.entry, ...item.fingerprints });
  }

  #remoteEdited(item: RemoteItem, remote: LocalEntry): void {
    const link = this.#links.get(item.id);
    if (link !== undefined) {
      const local = this.#slot(link.index);
      if (local.fingerprint !== remote.fingerprint) {
        if (link.edited) {
          // Concurrent edits keep both: the remote one under its id, ours as a new "(conflict)" item.
          this.#counts.conflicts++;
          this.#appendFresh({ entry: conflictCopy(local.entry), fingerprint: UNKNOWN, secret: local.secret });
          this.#warn('conflict', `item ${item.id} was edited here and elsewhere; both versions are kept`);
        }
        this.#slots[link.index] = { ...remote, from: null };
        this.#counts.updated++;
      }
      link.edited = false;
    } else if (this.#deletions.delete(item.id)) {
      // Deleted here, edited elsewhere: the edit beats the stale delete.
      this.#appendSynced(item.id, remote);
      this.#counts.added++;
      this.#warn('restored', `item ${item.id} was deleted here but edited elsewhere; the edit is kept`);
    } else {
      const twin = [...this.#fresh].find((index) => this.#slot(index).fingerprint === remote.fingerprint);
      if (twin === undefined) {
        this.#appendSynced(item.id, remote);
        this.#counts.added++;
      } else {
        this.#fresh.delete(twin);
        this.#links.set(item.id, { index: twin, edited: false });
      }
    }
    this.#items.set(item.id, {
      rev: item.rev,
      fingerprint: remote.fingerprint,
      secret: remote.secret,
      ...(item.sealed ? { sealed: true as const } : {}),
    });
  }

  /**
   * A change that only the server (or a token holder) could have made: reported as tampering, never
   * obeyed. A local copy is kept and uploaded again on top, which heals the account; a deletion made
   * here is sent again, sealed.
   */
  #untrusted(item: RemoteItem, why: string): void {
    const link = this.#links.get(item.id);
    const base = this.#items.get(item.id);
    if (link !== undefined && base !== undefined) {
      this.#warn('integrity', `item ${item.id}: ${why}; the local copy is kept and uploaded again`);
      this.#items.set(item.id, { ...base, rev: item.rev, fingerprint: UNKNOWN });
      link.edited = true;
    } else if (this.#deletions.has(item.id)) {
      this.#deletions.set(item.id, item.rev);
    }
  }

  #remoteDeleted(item: RemoteItem): void {
    const link = this.#links.get(item.id);
    const base = this.#items.get(item.id);
    if (link === undefined || base === undefined) {
      this.#deletions.delete(item.id);
      this.#items.delete(item.id);
    } else if (this.#rollback) {
      // No deletion from a state older than one seen: our copy goes back on top of the tombstone.
      this.#items.set(item.id, { ...base, rev: item.rev, fingerprint: UNKNOWN });
      link.edited = true;
    } else if (link.edited) {
      // Edited here, deleted elsewhere: the edit beats the stale delete and is uploaded again.
      this.#items.set(item.id, { ...base, rev: item.rev });
      this.#warn('restored', `item ${item.id} was deleted elsewhere but edited here; the edit is kept`);
    } else {
      this.#removed.push(this.#slot(link.index).entry);
      this.#slots[link.index] = null;
      this.#links.delete(item.id);
      this.#items.delete(item.id);
      this.#counts.removed++;
    }
  }

  /** The server shows an older revision than this device's: keep our copy and upload it again. */
  #rolledBack(item: RemoteItem, why: string): void {
    this.#warn('rollback', `possible server rollback: ${why}; the local copy is kept`);
    const link = this.#links.get(item.id);
    const base = this.#items.get(item.id);
    if (link !== undefined && base !== undefined) {
      link.edited = true;
      this.#items.set(item.id, { ...base, rev: item.rev, fingerprint: UNKNOWN });
      // An older version with another secret is a secret too: keep it as a new entry.
      if (item.entry !== null && item.fingerprints !== null && item.fingerprints.secret !== base.secret) {
        this.#appendFresh({ entry: item.entry, ...item.fingerprints });
      }
      return;
    }
    // Deleted here: no deletion is propagated to an older state; the server's copy comes back.
    this.#deletions.delete(item.id);
    this.#items.delete(item.id);
    if (item.entry !== null && item.fingerprints !== null) {
      const remote = { entry: item.entry, ...item.fingerprints };
      this.#appendSynced(item.id, remote);
      this.#items.set(item.id, { rev: item.rev, ...item.fingerprints });
    }
  }

  /** In a full listing, a remembered item the server lacks entirely was lost by the server. */
  #checkMissing(present: ReadonlySet<string>): void {
    for (const id of [...this.#items.keys(), ...this.#deletions.keys()]) {
      if (present.has(id)) continue;
      this.#warn('rollback', `possible server rollback: item ${id} is missing on the server; the local copy is kept`);
      this.#deletions.delete(id);
      const link = this.#links.get(id);
      const base = this.#items.get(id);
      if (link === undefined || base === undefined) {
        this.#items.delete(id);
      } else {
        link.edited = true;
        this.#items.set(id, { ...base, rev: 0, fingerprint: UNKNOWN });
      }
    }
  }

  #result(): MergeResult {
    const { state, remote, newId } = this.#input;
    const writes: SyncWrite[] = [];
    for (const [id, link] of this.#links) {
      const base = this.#items.get(id);
      if (link.edited && base !== undefined && !this.#failed.has(id)) {
        writes.push({ kind: 'put', id, baseRev: base.rev, entry: this.#slot(link.index).entry });
      }
    }
    if (!this.#rollback) {
      for (const [id, baseRev] of this.#deletions) {
        if (!this.#failed.has(id)) writes.push({ kind: 'delete', id, baseRev });
      }
    }
    for (const index of this.#fresh) {
      writes.push({ kind: 'put', id: newId(), baseRev: 0, entry: this.#slot(index).entry });
    }
    const firstFailure = Math.min(...remote.failures.map((failure) => failure.seq));
    // A failed item is fetched (and reported) again next time, until it changes.
    const cursor = Number.isFinite(firstFailure) ? Math.min(remote.seq, firstFailure - 1) : remote.seq;
    return {
      entries: this.#slots.filter((slot) => slot !== null).map((slot) => ({ entry: slot.entry, from: slot.from })),
      removed: this.#removed,
      state: {
        seq: Math.max(state.seq, remote.seq),
        cursor,
        items: Object.fromEntries(this.#items),
        deletions: Object.fromEntries(this.#deletions),
      },
      writes,
      warnings: this.#warnings,
      summary: { ...this.#counts },
      rollback: this.#rollback,
    };
  }

  #slot(index: number): Slot {
    const slot = this.#slots[index];
    if (slot === undefined || slot === null) throw new RangeError(`no entry at ${String(index)}`);
    return slot;
  }

  /** Appends an entry the server already holds under `id`. */
  #appendSynced(id: string, remote: LocalEntry): void {
    this.#links.set(id, { index: this.#slots.push({ ...remote, from: null }) - 1, edited: false });
  }

  /** Appends an entry the server does not hold yet. */
  #appendFresh(local: LocalEntry): void {
    this.#fresh.add(this.#slots.push({ ...local, from: null }) - 1);
  }

  #warn(code: SyncWarning['code'], message: string): void {
    this.#warnings.push({ code, message });
  }
}
