/**
 * The one storage interface of the server. Implementations: SQLite (embedded default) and PostgreSQL
 * (several stateless servers on one database), both through Kysely (`kysely-store.ts` over
 * `v1-repository.ts` and `v2-repository.ts`; the dialect folders `sqlite/` and `postgres/` hold what
 * differs).
 *
 * Users are keyed by `UserKey`, the SHA-256 of their Open2FA ID: the ID itself is never stored.
 * Row types never leave this folder.
 */
export type UserKey = Uint8Array;

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
  /** The user's current sequence number. */
  readonly seq: number;
  readonly more: boolean;
}

/** `unbound`: no token is bound yet and the caller did not ask to bind one. */
export type V2AuthResult = 'ok' | 'bound' | 'mismatch' | 'unbound';

export type V2WriteResult =
  | { readonly status: 'ok'; readonly item: V2StoredItem; readonly seq: number }
  | { readonly status: 'conflict'; readonly item: V2StoredItem }
  | { readonly status: 'not_found' }
  | { readonly status: 'quota_exceeded'; readonly limit: number };

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
  /**
   * Checks a v2 token hash against the one bound to the user. With `bind` (the first write), an
   * unbound user gets this token (and is created if new); without, an unbound user is `unbound`.
   */
  v2Authenticate(user: UserKey, tokenHash: Uint8Array, bind: boolean): Promise<V2AuthResult>;
  /** The user's changes after `since`, in sequence order, at most `limit`. */
  v2Changes(user: UserKey, since: number, limit: number): Promise<V2Changes>;
  /** Creates (`baseRev` 0) or replaces the item if its revision is still `baseRev`. */
  v2Put(user: UserKey, itemId: string, baseRev: number, envelope: string, maxItems: number): Promise<V2WriteResult>;
  /** Turns the item into a tombstone if its revision is still `baseRev`. */
  v2Delete(user: UserKey, itemId: string, baseRev: number): Promise<V2WriteResult>;
  /** Counts for the metrics endpoint. */
  stats(): Promise<StoreStats>;
  /** Resolves when the database answers and the schema is current; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
