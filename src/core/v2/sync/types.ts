/**
 * The data of protocol v2 sync (docs/protocol.md §4): what a device remembers between syncs, what the
 * server showed, and what a merge produces. The merge itself is in v2-sync.ts.
 */
import type { Entry } from '../../entry/model.js';
import type { OpenFailure } from '../open.js';

/** What a device remembers of one item: the revision its copy is based on and that copy's fingerprint. */
export interface SyncedItem {
  readonly rev: number;
  /** `entryFingerprint` of the entry as last synced; `''` when the base content is unknown (re-upload). */
  readonly fingerprint: string;
  /** `secretFingerprint` of its secret: finds the local copy again after a rename. */
  readonly secret: string;
  /**
   * The copy came in (or went out) sealed with its revision (protocol revision 2): a later revision 1
   * envelope for this item is an old one served again, not an edit.
   */
  readonly sealed?: true;
}

/** Per server and Open2FA ID: everything a device remembers between syncs. */
export interface SyncState {
  /** The highest `seq` the server has shown; never lowered, so a rolled-back server is noticed. */
  readonly seq: number;
  /** Where the next `GET ?since=` starts (below `seq` after a rollback or an integrity failure). */
  readonly cursor: number;
  readonly items: Readonly<Record<string, SyncedItem>>;
  /** Items deleted here and not yet on the server: id → the revision this device had seen. */
  readonly deletions: Readonly<Record<string, number>>;
}

export const EMPTY_SYNC_STATE: SyncState = { seq: 0, cursor: 0, items: {}, deletions: {} };

/** A local entry with its fingerprint (computed once by the caller: hashing is asynchronous). */
export interface LocalEntry {
  readonly entry: Entry;
  readonly fingerprint: string;
  readonly secret: string;
}

/** A server item after decryption; `entry` and `fingerprint` are `null` for a tombstone. */
export interface RemoteItem {
  readonly id: string;
  readonly rev: number;
  readonly seq: number;
  readonly entry: Entry | null;
  /** The fingerprints of `entry`; `null` for a tombstone. */
  readonly fingerprints: Fingerprints | null;
  /**
   * An entry sealed with its revision, or a tombstone sealed by a device of the account. An unsealed
   * tombstone is never obeyed: anyone holding the bearer token (the server too) can make one.
   */
  readonly sealed: boolean;
}

export interface Fingerprints {
  /** `entryFingerprint`. */
  readonly fingerprint: string;
  /** `secretFingerprint`. */
  readonly secret: string;
}

/** An item whose envelope failed authentication (or its revision check): reported, skipped, never stored. */
export interface RemoteFailure {
  readonly id: string;
  readonly seq: number;
  readonly why: OpenFailure;
}

/** What one `GET /api/v2/items?since=…` (all pages) showed. */
export interface RemoteSnapshot {
  readonly items: readonly RemoteItem[];
  readonly failures: readonly RemoteFailure[];
  /** The server's current sequence number. */
  readonly seq: number;
  /** Fetched from `since=0`: an item missing here does not exist on the server. */
  readonly full: boolean;
}

export type SyncWrite =
  | { readonly kind: 'put'; readonly id: string; readonly baseRev: number; readonly entry: Entry }
  | { readonly kind: 'delete'; readonly id: string; readonly baseRev: number };

export interface SyncWarning {
  /**
   * `integrity`: tampering or damage, including unsealed deletions; `erased`: the account is empty on
   * the server although this device synced with it (change-rules.ts `looksErased`); clients exit
   * non-zero on both.
   */
  readonly code: 'rollback' | 'integrity' | 'conflict' | 'restored' | 'erased';
  readonly message: string;
}

/** A merged local entry; `from` is the index of the input entry it keeps unchanged, if any. */
export interface MergedEntry {
  readonly entry: Entry;
  readonly from: number | null;
}

export interface MergeSummary {
  readonly added: number;
  readonly updated: number;
  readonly removed: number;
  readonly conflicts: number;
}

export interface MergeResult {
  readonly entries: readonly MergedEntry[];
  /** The local entries this merge removed (deleted on another device): kept in the trash by clients. */
  readonly removed: readonly Entry[];
  readonly state: SyncState;
  readonly writes: readonly SyncWrite[];
  readonly warnings: readonly SyncWarning[];
  readonly summary: MergeSummary;
  /** `true` when the server showed less than this device had seen. */
  readonly rollback: boolean;
}

export interface MergeInput {
  readonly local: readonly LocalEntry[];
  readonly state: SyncState;
  readonly remote: RemoteSnapshot;
  /** A fresh item id for entries not on the server yet (`randomItemId` in production). */
  readonly newId: () => string;
}

/** The suffix of the local copy kept when two devices edited the same item. */
export const CONFLICT_SUFFIX = ' (conflict)';
