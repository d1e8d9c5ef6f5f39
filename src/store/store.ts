/**
 * The one storage interface of the server. Implementations: SQLite (embedded default) and PostgreSQL
 * (several stateless servers on one database), both through Kysely (`kysely-store.ts` over
 * `v1-repository.ts` and `v2-repository.ts`; the dialect folders `sqlite/` and `postgres/` hold what
 * differs).
 *
 * v1 users are keyed by `UserKey`, the SHA-256 of their Open2FA ID: the ID itself is never stored.
 * v2 accounts are keyed by `AccountKey`, the SHA-256 of their bearer token (protocol v2 revision 2):
 * knowing an Open2FA ID gives nothing on v2. Row types never leave this folder.
 */
export type UserKey = Uint8Array;

/** A v2 account: the SHA-256 of its bearer token `T_auth` (docs/protocol.md §3). */
export type AccountKey = Uint8Array;

export type StoreDialect = 'sqlite' | 'postgres';

/** A legacy v1 entry: the base58 ciphertext and the name, which v1 keeps in clear. Text holds no NUL. */
export interface V1Entry {
  readonly encSecret: string;
  readonly name: string | null;
}

export type PushV1Result =
  | { readonly status: 'ok'; readonly userCreated: boolean; readonly entries: readonly V1Entry[] }
  | { readonly status: 'quota_exceeded'; readonly limit: number };

/** A v2 item as stored: the server sees only this (docs/protocol.md §3). */
export interface V2StoredItem {
  readonly id: string;
  readonly rev: number;
  readonly seq: number;
  readonly deleted: boolean;
  readonly envelope: string | null;
}

export interface V2Changes {
  readonly items: readonly V2StoredItem[];
  /** The account's current sequence number. */
  readonly seq: number;
  readonly more: boolean;
}

/** What one v2 account may hold. */
export interface V2StorageLimits {
  /** Live (not deleted) items. */
  readonly maxItems: number;
  /** Rows: live items and tombstones together. */
  readonly maxRows: number;
  /** A create over `maxRows` first erases the oldest tombstones deleted at least this long ago. */
  readonly compactAfterMs: number;
}

/**
 * `storage_full`: the account holds `maxRows` rows and no tombstone is old enough to compact.
 * Nothing is written (nor an account created) unless the status is `ok`.
 */
export type V2WriteResult =
  | { readonly status: 'ok'; readonly item: V2StoredItem; readonly seq: number }
  | { readonly status: 'conflict'; readonly item: V2StoredItem }
  | { readonly status: 'not_found' }
  | { readonly status: 'quota_exceeded'; readonly limit: number }
  | { readonly status: 'storage_full'; readonly limit: number };

export interface StoreStats {
  readonly users: number;
  /** Stored entries (v1). */
  readonly entries: number;
}

export interface Store {
  readonly dialect: StoreDialect;
  /** The user's entries in insertion order, or `null` when the user does not exist. */
  listV1(user: UserKey): Promise<readonly V1Entry[] | null>;
  /**
   * The same list as the exact UTF-8 JSON body of the v1 pull (`{"totps":[…]}`), read from the stored
   * document in one row (v1-list-document.ts), or `null` when the user does not exist. The pull hot path.
   */
  listV1Body(user: UserKey): Promise<Buffer | null>;
  /**
   * Creates the user if new, then upserts every entry by (user, encSecret), updating its name; a
   * repeated encSecret in `entries` counts once, the last name winning. Atomic: when the user would
   * hold more than `maxEntries`, nothing is written.
   */
  pushV1(user: UserKey, entries: readonly V1Entry[], maxEntries: number): Promise<PushV1Result>;
  /** Deletes the user's entries with these ciphertexts; the number deleted, or `null` for an unknown user. */
  deleteV1(user: UserKey, encSecrets: readonly string[]): Promise<number | null>;
  /** Erases the user's entries, list document and row; the number of entries erased, or `null` if unknown. */
  deleteV1Account(user: UserKey): Promise<number | null>;
  /** The account's changes after `since`, in sequence order, at most `limit`; `null` for no such account. */
  v2Changes(account: AccountKey, since: number, limit: number): Promise<V2Changes | null>;
  /**
   * The same page as the exact UTF-8 JSON body of the v2 sync (`{"items":[…],"seq":…,"more":…}`), read
   * with the account in one statement (v2-changes-page.ts), or `null` for no such account. The sync hot
   * path: an account's last answer is kept, and sent again only while its row is unchanged (v2-page-cache.ts).
   */
  v2ChangesBody(account: AccountKey, since: number, limit: number): Promise<Buffer | null>;
  /**
   * Creates (`baseRev` 0) or replaces the item if its revision is still `baseRev`. The first create
   * under a new key creates the account; nothing else does.
   */
  v2Put(
    account: AccountKey,
    itemId: string,
    baseRev: number,
    envelope: string,
    limits: V2StorageLimits,
  ): Promise<V2WriteResult>;
  /** Turns the item into a tombstone holding `envelope` (the sealed deletion) if its revision is still `baseRev`. */
  v2Delete(account: AccountKey, itemId: string, baseRev: number, envelope: string): Promise<V2WriteResult>;
  /** Erases the account's items, tombstones and row; the number of live items erased, or `null` if unknown. */
  v2DeleteAccount(account: AccountKey): Promise<number | null>;
  /** Counts for the metrics endpoint. */
  stats(): Promise<StoreStats>;
  /** Resolves when the database answers and the schema is current; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
