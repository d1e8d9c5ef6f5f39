import type { Generated } from 'kysely';

/** Kysely's view of the tables. Timestamps are milliseconds since the epoch. */
export interface Database {
  users: UsersTable;
  v1_totps: V1TotpsTable;
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
