import type { Entry } from '../../../core/entry.js';
import { randomItemId } from '../../../core/v2-envelope.js';
import {
  applyWrite,
  fingerprintsOf,
  mergeSync,
  type Fingerprints,
  type MergeSummary,
  type RemoteFailure,
  type RemoteItem,
  type RemoteSnapshot,
  type SyncState,
  type SyncWarning,
  type SyncWrite,
} from '../../../core/v2-sync.js';

/** A server item after decryption; `entry` is `null` for a tombstone. */
export interface DecryptedItem {
  readonly id: string;
  readonly rev: number;
  readonly seq: number;
  readonly entry: Entry | null;
}

/** A write's outcome as sync needs it. */
export type TransportWrite =
  { readonly status: 'ok'; readonly rev: number } | { readonly status: 'conflict' | 'not_found' };

/**
 * The server as sync sees it: decrypted changes and writes of entries. The CLI's implementation
 * encrypts and speaks HTTP; tests use an in-memory server.
 */
export interface V2Transport {
  /** Every change after `since` (all pages), decrypted; items failing authentication listed apart. */
  changes(since: number): Promise<{ items: DecryptedItem[]; failures: RemoteFailure[]; seq: number }>;
  put(id: string, baseRev: number, entry: Entry): Promise<TransportWrite>;
  delete(id: string, baseRev: number): Promise<TransportWrite>;
}

export interface SyncRunOptions {
  /** Send the local changes (push) or only merge the remote ones (pull). */
  readonly push: boolean;
  readonly newId?: () => string;
  /** Rounds of fetch, merge and write when writes meet newer revisions (409). */
  readonly maxRounds?: number;
}

/** A merged local entry; `from` is the index of the input entry it keeps unchanged, if any. */
export interface SyncedEntry {
  readonly entry: Entry;
  readonly from: number | null;
}

export interface SyncRunResult {
  readonly entries: readonly SyncedEntry[];
  readonly state: SyncState;
  readonly warnings: readonly SyncWarning[];
  readonly summary: MergeSummary;
  readonly sent: { readonly puts: number; readonly deletes: number };
  readonly integrityFailures: number;
  /** `false` when writes still met newer revisions after the last round. */
  readonly complete: boolean;
}

const DEFAULT_ROUNDS = 4;

/**
 * One sync (docs/protocol.md §4): fetch the changes, merge, and (push) send the writes; a write
 * answered 409 starts another round from the new remote state, at most `maxRounds`.
 */
export async function runV2Sync(
  transport: V2Transport,
  local: readonly Entry[],
  initial: SyncState,
  options: SyncRunOptions,
): Promise<SyncRunResult> {
  const newId = options.newId ?? randomItemId;
  const fingerprints = new FingerprintCache();
  let entries: SyncedEntry[] = local.map((entry, index) => ({ entry, from: index }));
  let state = initial;
  const warnings = new Map<string, SyncWarning>();
  const summary = { added: 0, updated: 0, removed: 0, conflicts: 0 };
  const sent = { puts: 0, deletes: 0 };
  let integrityFailures = 0;
  const rounds = options.maxRounds ?? DEFAULT_ROUNDS;
  for (let round = 1; ; round++) {
    const remote = await fetchSnapshot(transport, state.cursor, fingerprints);
    const locals = await Promise.all(
      entries.map(async (synced) => ({ entry: synced.entry, ...(await fingerprints.of(synced.entry)) })),
    );
    const merged = mergeSync({ local: locals, state, remote, newId });
    entries = merged.entries.map((entry) => ({
      entry: entry.entry,
      from: entry.from === null ? null : (entries[entry.from]?.from ?? null),
    }));
    state = merged.state;
    integrityFailures = remote.failures.length;
    for (const warning of merged.warnings) warnings.set(warning.message, warning);
    for (const key of ['added', 'updated', 'removed', 'conflicts'] as const) summary[key] += merged.summary[key];
    let conflicted = false;
    if (options.push) {
      const outcome = await sendWrites(transport, merged.writes, state, fingerprints);
      state = outcome.state;
      sent.puts += outcome.puts;
      sent.deletes += outcome.deletes;
      for (const warning of outcome.warnings) warnings.set(warning.message, warning);
      conflicted = outcome.conflicted;
    }
    if (!conflicted || round >= rounds) {
      return {
        entries,
        state,
        warnings: [...warnings.values()],
        summary,
        sent,
        integrityFailures,
        complete: !conflicted,
      };
    }
  }
}

/** The changes since `cursor`; all of them when the server is below it (a rollback to look at whole). */
async function fetchSnapshot(transport: V2Transport, cursor: number, cache: FingerprintCache): Promise<RemoteSnapshot> {
  let changes = await transport.changes(cursor);
  let full = cursor === 0;
  if (changes.seq < cursor) {
    changes = await transport.changes(0);
    full = true;
  }
  const items: RemoteItem[] = await Promise.all(
    changes.items.map(async (item) => ({
      ...item,
      fingerprints: item.entry === null ? null : await cache.of(item.entry),
    })),
  );
  return { items, failures: changes.failures, seq: changes.seq, full };
}

interface WriteOutcome {
  state: SyncState;
  puts: number;
  deletes: number;
  conflicted: boolean;
  warnings: SyncWarning[];
}

async function sendWrites(
  transport: V2Transport,
  writes: readonly SyncWrite[],
  initial: SyncState,
  cache: FingerprintCache,
): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { state: initial, puts: 0, deletes: 0, conflicted: false, warnings: [] };
  for (const write of writes) {
    let answer =
      write.kind === 'put'
        ? await transport.put(write.id, write.baseRev, write.entry)
        : await transport.delete(write.id, write.baseRev);
    if (answer.status === 'not_found' && write.kind === 'put') {
      // The server lost an item this device had synced: create it again rather than lose it.
      outcome.warnings.push({
        code: 'rollback',
        message: `possible server rollback: item ${write.id} is missing on the server; uploaded again`,
      });
      answer = await transport.put(write.id, 0, write.entry);
    }
    if (answer.status === 'conflict') {
      outcome.conflicted = true;
      continue;
    }
    if (write.kind === 'put') {
      if (answer.status === 'ok') {
        outcome.state = applyWrite(outcome.state, write, answer.rev, await cache.of(write.entry));
        outcome.puts++;
      } else {
        outcome.conflicted = true;
      }
      continue;
    }
    // A delete: done, or the item no longer exists at all; either way the deletion is settled.
    outcome.state = applyWrite(outcome.state, write, 0, null);
    if (answer.status === 'ok') outcome.deletes++;
  }
  return outcome;
}

/** Fingerprints by payload: the same entry is hashed once per run. */
class FingerprintCache {
  readonly #known = new Map<Entry, Promise<Fingerprints>>();

  of(entry: Entry): Promise<Fingerprints> {
    let found = this.#known.get(entry);
    if (found === undefined) {
      found = fingerprintsOf(entry);
      this.#known.set(entry, found);
    }
    return found;
  }
}
