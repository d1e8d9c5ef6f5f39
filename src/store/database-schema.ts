import type { Generated } from 'kysely';

/** Kysely's view of the tables. Timestamps are milliseconds since the epoch. */
export interface Database {
  users: UsersTable;
  v1_totps: V1TotpsTable;
  v1_lists: V1ListsTable;
  v2_accounts: V2AccountsTable;
  v2_items: V2ItemsTable;
}

export interface UsersTable {
  id: Generated<number>;
  /** SHA-256 of the Open2FA ID. */
  id_hash: Uint8Array;
  created_at: number | string;
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

/** A v2 account (protocol v2 revision 2): keyed by its token, not by an Open2FA ID (migration 0004). */
export interface V2AccountsTable {
  id: Generated<number>;
  /** SHA-256 of the account's bearer token. */
  token_hash: Uint8Array;
  /** The account's change counter. */
  seq: Generated<number | string>;
  created_at: number | string;
}

export interface V2ItemsTable {
  account_id: number;
  item_id: string;
  rev: number;
  seq: number | string;
  /** The sealed item; for a tombstone the sealed deletion (null for one written before revision 2). */
  envelope: string | null;
  /** 0 or 1 (one type for both databases). */
  deleted: number;
  created_at: number | string;
  updated_at: number | string;
}
