import type { Entry } from '../../entry/model.js';
import { randomItemId } from '../cipher.js';
import type { HttpResult } from '../../http/exchange.js';
import type { OpenedItem } from '../open.js';
import { erasedText, looksErased } from './change-rules.js';
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
} from './merge.js';

/** A write's outcome as sync needs it. */
export type TransportWrite =
  { readonly status: 'ok'; readonly rev: number } | { readonly status: 'conflict' | 'not_found' };

/** What one listing showed: every item's latest change, opened, and the server's sequence number. */
export interface TransportChanges {
  readonly items: readonly OpenedItem[];
  readonly seq: number;
}

/**
 * The server as sync sees it: opened changes and writes of entries, with failures as values. The
 * HTTP implementation (transport.ts) seals and speaks the v2 API; tests use an in-memory server.
 */
export interface V2Transport {
  /** Every change after `since` (all pages), opened (open.ts). */
  changes(since: number): Promise<HttpResult<TransportChanges>>;
  /** Seals `entry` for revision `baseRev` + 1 and writes it. */
  put(id: string, baseRev: number, entry: Entry): Promise<HttpResult<TransportWrite>>;
  /** Seals a tombstone for revision `baseRev` + 1 and sends the deletion. */
  delete(id: string, baseRev: number): Promise<HttpResult<TransportWrite>>;
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
  /** Local entries removed because another device deleted them: clients keep them in the trash. */
  readonly removed: readonly Entry[];
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
 * answered 409 starts another round from the new remote state, at most `maxRounds`. A failed request
 * ends the run with its failure; what was merged before it is not kept (the caller saves nothing).
 */
export async function runV2Sync(
  transport: V2Transport,
  local: readonly Entry[],
  initial: SyncState,
  options: SyncRunOptions,
): Promise<HttpResult<SyncRunResult>> {
  const newId = options.newId ?? randomItemId;
  const fingerprints = new FingerprintCache();
  let entries: SyncedEntry[] = local.map((entry, index) => ({ entry, from: index }));
  let state = initial;
  const warnings = new Map<string, SyncWarning>();
  const summary = { added: 0, updated: 0, removed: 0, conflicts: 0 };
  const sent = { puts: 0, deletes: 0 };
  const removed: Entry[] = [];
  let integrityFailures = 0;
  const rounds = options.maxRounds ?? DEFAULT_ROUNDS;
  for (let round = 1; ; round++) {
    const snapshot = await fetchSnapshot(transport, state.cursor, fingerprints);
    if (!snapshot.ok) return snapshot;
    const remote = snapshot.value;
    if (round === 1 && remote.full && erased(state, remote)) {
      // Nothing is merged, removed or sent: the old account must not come back (change-rules.ts).
      const held = Object.keys(state.items).length;
      const warning: SyncWarning = { code: 'erased', message: erasedText(held) };
      return { ok: true, value: { ...unchanged(entries, state), warnings: [warning] } };
    }
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
    removed.push(...merged.removed);
    let conflicted = false;
    if (options.push) {
      const written = await sendWrites(transport, merged.writes, state, fingerprints);
      if (!written.ok) return written;
      const outcome = written.value;
      state = outcome.state;
      sent.puts += outcome.puts;
      sent.deletes += outcome.deletes;
      for (const warning of outcome.warnings) warnings.set(warning.message, warning);
      conflicted = outcome.conflicted;
    }
    if (!conflicted || round >= rounds) {
      return {
        ok: true,
        value: {
          entries,
          removed,
          state,
          warnings: [...warnings.values()],
          summary,
          sent,
          integrityFailures,
          complete: !conflicted,
        },
      };
    }
  }
}

function erased(state: SyncState, remote: RemoteSnapshot): boolean {
  const count = remote.items.length + remote.failures.length;
  return looksErased(Object.keys(state.items).length, { count, seq: remote.seq });
}

/** A run that changed nothing. */
function unchanged(entries: readonly SyncedEntry[], state: SyncState): Omit<SyncRunResult, 'warnings'> {
  const summary = { added: 0, updated: 0, removed: 0, conflicts: 0 };
  return { entries, removed: [], state, summary, sent: { puts: 0, deletes: 0 }, integrityFailures: 0, complete: true };
}

/** The changes since `cursor`; all of them when the server is below it (a rollback to look at whole). */
async function fetchSnapshot(
  transport: V2Transport,
  cursor: number,
  cache: FingerprintCache,
): Promise<HttpResult<RemoteSnapshot>> {
  let changes = await transport.changes(cursor);
  if (!changes.ok) return changes;
  let full = cursor === 0;
  if (changes.value.seq < cursor) {
    changes = await transport.changes(0);
    if (!changes.ok) return changes;
    full = true;
  }
  const items: RemoteItem[] = [];
  const failures: RemoteFailure[] = [];
  for (const item of changes.value.items) {
    const { id, rev, seq } = item;
    if (item.kind === 'failed') failures.push({ id, seq, why: item.why });
    else if (item.kind === 'deleted')
      items.push({ id, rev, seq, entry: null, fingerprints: null, sealed: item.sealed });
    else items.push({ id, rev, seq, entry: item.entry, fingerprints: await cache.of(item.entry), sealed: item.sealed });
  }
  return { ok: true, value: { items, failures, seq: changes.value.seq, full } };
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
): Promise<HttpResult<WriteOutcome>> {
  const outcome: WriteOutcome = { state: initial, puts: 0, deletes: 0, conflicted: false, warnings: [] };
  for (const write of writes) {
    let sent =
      write.kind === 'put'
        ? await transport.put(write.id, write.baseRev, write.entry)
        : await transport.delete(write.id, write.baseRev);
    if (!sent.ok) return sent;
    if (sent.value.status === 'not_found' && write.kind === 'put') {
      // The server lost an item this device had synced: create it again rather than lose it.
      outcome.warnings.push({
        code: 'rollback',
        message: `possible server rollback: item ${write.id} is missing on the server; uploaded again`,
      });
      sent = await transport.put(write.id, 0, write.entry);
      if (!sent.ok) return sent;
    }
    const answer = sent.value;
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
  return { ok: true, value: outcome };
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
