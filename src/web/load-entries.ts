import { sameCodes } from '../core/entry/compare.js';
import { deriveV2Keys, type V2Keys } from '../core/v2/keys.js';
import type { ApiAnswer, ApiClient } from './api-client.js';
import type { V2ApiClient, V2Auth, V2Failure } from './api-v2-client.js';
import type { Credentials, ShownEntry, Session } from './app-state.js';
import type { OfflineTracker } from './offline/offline-copy.js';
import { decryptEntries, sortEntries } from './entries.js';
import { openItems } from './v2-entries.js';

export type LoadOutcome =
  | {
      readonly kind: 'loaded';
      readonly session: Session;
      /** v1 and v2 entries in one sorted list. */
      readonly entries: ShownEntry[];
      /** v1 entries the Secret does not decrypt. */
      readonly undecryptable: number;
      /** v2 envelopes that failed authentication. */
      readonly integrityFailed: number;
      /** Integrity warnings about shown items (kept) and the items deleted elsewhere (trashed). */
      readonly refused: readonly string[];
      readonly removed: readonly string[];
      /** No v1 entry (404 or an empty list) and no live v2 item: nothing is stored for the ID. */
      readonly noneStored: boolean;
      /** The user's v2 change counter, for the rollback check. */
      readonly seq: number;
      /** The answers, for the clock-skew estimate. */
      readonly answers: readonly ApiAnswer<unknown>[];
    }
  | { readonly kind: 'failed'; readonly failure: V2Failure }
  /** The Secret decrypts none of the v1 entries; v2 was not asked (see below). */
  | { readonly kind: 'mismatch' };

/**
 * One card per secret on a mixed account: a v1 entry with the same secret and parameters as a v2
 * entry (the CLI writes both while 1.x clients use the account) becomes that v2 entry's `v1Copy`, so
 * rename and delete reach both. Each v1 entry joins at most one v2 entry.
 */
export function mergeCopies(v1: readonly ShownEntry[], v2: readonly ShownEntry[]): ShownEntry[] {
  const unmatched = [...v1];
  const merged = v2.map((entry) => {
    const at = unmatched.findIndex((candidate) => sameCodes(candidate, entry));
    const copy = at < 0 ? undefined : unmatched.splice(at, 1)[0];
    if (copy?.storage.protocol !== 'v1') return entry;
    return { ...entry, v1Copy: { encSecret: copy.storage.encSecret } };
  });
  return [...merged, ...unmatched];
}

/** The v2 request headers' values of a session: the ID and the derived token, never the Secret. */
export function v2Auth(session: Session): V2Auth {
  return { id: session.id, token: session.v2.authToken };
}

/**
 * Fetches and decrypts every entry: v1 (`GET /api/v1/totps`) and v2 (`GET /api/v2/items`, paged).
 *
 * v1 is asked first, while the v2 keys are derived: the first v2 request binds its token to the ID
 * for good (docs/protocol.md §3), so a mistyped Secret must be caught before it is sent as a token.
 * When v1 entries exist and the Secret opens none of them, v2 is not asked at all. Without v1
 * entries nothing can check the Secret, and v2 answers 401 if another one is bound.
 */
export async function loadEntries(
  credentials: Credentials,
  v1: ApiClient,
  v2: V2ApiClient,
  keys?: V2Keys,
  tracker: OfflineTracker = { syncedAt: null },
): Promise<LoadOutcome> {
  const [v1Result, v2Keys] = await Promise.all([
    v1.list(credentials.id),
    keys === undefined ? deriveV2Keys(credentials.key) : Promise.resolve(keys),
  ]);
  if (!v1Result.ok && v1Result.failure.kind !== 'not_found') return { kind: 'failed', failure: v1Result.failure };
  const v1Stored = v1Result.ok ? v1Result.answer.body.totps : [];
  const v1Entries = await decryptEntries(credentials.key, v1Stored);
  if (v1Entries.entries.length === 0 && v1Entries.failed > 0) return { kind: 'mismatch' };

  const session: Session = { id: credentials.id, key: credentials.key, v2: v2Keys };
  const v2Result = await v2.pull(v2Auth(session));
  if (!v2Result.ok) return { kind: 'failed', failure: v2Result.failure };
  const { items, seq } = v2Result.answer.body;
  const opened = await openItems(v2Keys.envelopeKey, session.id, items, {
    persist: tracker.keep?.() === true,
    // The offline copy is older than what was shown: it says nothing about deletions.
    judge: tracker.syncedAt === null,
    seq,
    now: Date.now(),
  });
  return {
    kind: 'loaded',
    session,
    entries: sortEntries(mergeCopies(v1Entries.entries, opened.entries)),
    undecryptable: v1Entries.failed,
    integrityFailed: opened.integrityFailed,
    refused: opened.refused,
    removed: opened.removed,
    // An account whose last entries were deleted elsewhere is not "nothing stored": the page says what went.
    noneStored: v1Stored.length + opened.entries.length + opened.integrityFailed + opened.removed.length === 0,
    seq,
    answers: v1Result.ok ? [v1Result.answer, v2Result.answer] : [v2Result.answer],
  };
}
