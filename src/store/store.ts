/**
 * The one storage interface of the server. Implementations: SQLite (embedded default) and PostgreSQL
 * (several stateless servers on one database), both through Kysely (`kysely-store.ts`).
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
   * Creates the user if new, then upserts every entry by (user, encSecret), updating its name; a
   * repeated encSecret in `entries` counts once, the last name winning. Atomic: when the user would
   * hold more than `maxEntries`, nothing is written.
   */
  pushV1(user: UserKey, entries: readonly V1Entry[], maxEntries: number): Promise<PushV1Result>;
  /** Deletes the user's entries with these ciphertexts; the number deleted, or `null` for an unknown user. */
  deleteV1(user: UserKey, encSecrets: readonly string[]): Promise<number | null>;
  /** Counts for the metrics endpoint. */
  stats(): Promise<StoreStats>;
  /** Resolves when the database answers and the schema is current; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
