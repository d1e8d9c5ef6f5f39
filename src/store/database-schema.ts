import type { Generated } from 'kysely';

/** Kysely's view of the tables. Timestamps are milliseconds since the epoch. */
export interface Database {
  users: UsersTable;
  v1_totps: V1TotpsTable;
  v1_lists: V1ListsTable;
  v2_items: V2ItemsTable;
}

export interface UsersTable {
  id: Generated<number>;
  /** SHA-256 of the Open2FA ID. */
  id_hash: Uint8Array;
  created_at: number | string;
  /** SHA-256 of the v2 auth token, bound on first v2 use. */
  v2_token_hash: Generated<Uint8Array | null>;
  /** The user's v2 change counter. */
  v2_seq: Generated<number | string>;
}

export interface V1TotpsTable {
  id: Generated<number>;
  user_id: number;
  enc_secret: string;
  name: string | null;
  created_at: number | string;
  updated_at: number | string;
}

/** A user's v1 list as the body the v1 pull answers, rewritten by every v1 write (v1-list-document.ts). */
export interface V1ListsTable {
  user_id: number;
  body: Uint8Array;
}

export interface V2ItemsTable {
  user_id: number;
  item_id: string;
  rev: number;
  seq: number | string;
  envelope: string | null;
  /** 0 or 1 (one type for both databases). */
  deleted: number;
  created_at: number | string;
  updated_at: number | string;
}
