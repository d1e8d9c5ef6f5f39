import { timingSafeEqual } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, V2ItemsTable } from './database-schema.js';
import type { StoreDialect, UserKey, V2AuthResult, V2Changes, V2StoredItem, V2WriteResult } from './store.js';

/**
 * Protocol v2 storage (docs/protocol.md §3): items with revisions, a per-user change sequence and
 * tombstones. Every write runs in one transaction holding the user's row, so revisions and sequence
 * numbers never race, on SQLite (one writer) and PostgreSQL (`FOR UPDATE`) alike.
 */
export class V2Repository {
  readonly #db: Kysely<Database>;
  readonly #dialect: StoreDialect;

  constructor(db: Kysely<Database>, dialect: StoreDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /** The user's bound token hash (null when unbound); no row for an unknown user. */
  tokenQuery(user: UserKey) {
    return this.#db.selectFrom('users').select('v2_token_hash').where('id_hash', '=', user);
  }

  /** The user's row id and change counter; no row for an unknown user. */
  ownerQuery(user: UserKey) {
    return this.#db.selectFrom('users').select(['id', 'v2_seq']).where('id_hash', '=', user);
  }

  /** Up to `rows` of the user's changes after `since`, in sequence order. */
  changesQuery(ownerId: number, since: number, rows: number) {
    return this.#db
      .selectFrom('v2_items')
      .selectAll()
      .where('user_id', '=', ownerId)
      .where('seq', '>', since)
      .orderBy('seq')
      .limit(rows);
  }

  async authenticate(user: UserKey, tokenHash: Uint8Array, bind: boolean): Promise<V2AuthResult> {
    if (!bind) {
      const row = await this.tokenQuery(user).executeTakeFirst();
      return authResult(row?.v2_token_hash ?? null, tokenHash);
    }
    return this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({ id_hash: user, created_at: Date.now() })
        .onConflict((conflict) => conflict.column('id_hash').doNothing())
        .execute();
      const bound = await trx
        .updateTable('users')
        .set({ v2_token_hash: tokenHash })
        .where('id_hash', '=', user)
        .where('v2_token_hash', 'is', null)
        .executeTakeFirst();
      if (Number(bound.numUpdatedRows) === 1) return 'bound';
      const row = await trx
        .selectFrom('users')
        .select('v2_token_hash')
        .where('id_hash', '=', user)
        .executeTakeFirstOrThrow();
      return row.v2_token_hash !== null && sameHash(row.v2_token_hash, tokenHash) ? 'ok' : 'mismatch';
    });
  }

  async changes(user: UserKey, since: number, limit: number): Promise<V2Changes> {
    const owner = await this.ownerQuery(user).executeTakeFirst();
    if (owner === undefined) return NO_CHANGES;
    // One row more than asked tells whether more follow.
    const rows = await this.changesQuery(owner.id, since, limit + 1).execute();
    return changesPage(owner, rows, limit);
  }

  async put(
    user: UserKey,
    itemId: string,
    baseRev: number,
    envelope: string,
    maxItems: number,
  ): Promise<V2WriteResult> {
    return this.#db.transaction().execute(async (trx) => {
      const owner = await this.#lockUser(trx, user);
      const current = await this.#item(trx, owner.id, itemId);
      if (current === undefined && baseRev !== 0) return { status: 'not_found' };
      if ((current?.rev ?? 0) !== baseRev && current !== undefined) return { status: 'conflict', item: current };
      if (current === undefined || current.deleted) {
        const live = await trx
          .selectFrom('v2_items')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('user_id', '=', owner.id)
          .where('deleted', '=', 0)
          .executeTakeFirstOrThrow();
        if (Number(live.n) >= maxItems) return { status: 'quota_exceeded', limit: maxItems };
      }
      const seq = await this.#nextSeq(trx, owner.id, owner.seq);
      const now = Date.now();
      const row = { rev: baseRev + 1, seq, envelope, deleted: 0, updated_at: now };
      if (current === undefined) {
        await trx
          .insertInto('v2_items')
          .values({ user_id: owner.id, item_id: itemId, created_at: now, ...row })
          .execute();
      } else {
        await trx
          .updateTable('v2_items')
          .set(row)
          .where('user_id', '=', owner.id)
          .where('item_id', '=', itemId)
          .execute();
      }
      return { status: 'ok', item: { id: itemId, rev: row.rev, seq, deleted: false, envelope }, seq };
    });
  }

  async delete(user: UserKey, itemId: string, baseRev: number): Promise<V2WriteResult> {
    return this.#db.transaction().execute(async (trx) => {
      const owner = await this.#lockUser(trx, user);
      const current = await this.#item(trx, owner.id, itemId);
      if (current === undefined) return { status: 'not_found' };
      if (current.rev !== baseRev) return { status: 'conflict', item: current };
      // Deleting a tombstone again changes nothing.
      if (current.deleted) return { status: 'ok', item: current, seq: owner.seq };
      const seq = await this.#nextSeq(trx, owner.id, owner.seq);
      const rev = baseRev + 1;
      await trx
        .updateTable('v2_items')
        .set({ rev, seq, envelope: null, deleted: 1, updated_at: Date.now() })
        .where('user_id', '=', owner.id)
        .where('item_id', '=', itemId)
        .execute();
      return { status: 'ok', item: { id: itemId, rev, seq, deleted: true, envelope: null }, seq };
    });
  }

  /** The user's row, locked until the transaction ends (authentication created it). */
  async #lockUser(trx: Transaction<Database>, user: UserKey): Promise<{ id: number; seq: number }> {
    let query = trx.selectFrom('users').select(['id', 'v2_seq']).where('id_hash', '=', user);
    if (this.#dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirstOrThrow();
    return { id: row.id, seq: Number(row.v2_seq) };
  }

  async #item(trx: Transaction<Database>, userId: number, itemId: string): Promise<V2StoredItem | undefined> {
    const row = await trx
      .selectFrom('v2_items')
      .selectAll()
      .where('user_id', '=', userId)
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    return row === undefined ? undefined : toItem(row);
  }

  async #nextSeq(trx: Transaction<Database>, userId: number, current: number): Promise<number> {
    const seq = current + 1;
    await trx.updateTable('users').set({ v2_seq: seq }).where('id', '=', userId).execute();
    return seq;
  }
}

/** The changes of an unknown user: none. */
export const NO_CHANGES: V2Changes = { items: [], seq: 0, more: false };

/** A read's verdict on a token: the user has none bound, it matches, or it does not. */
export function authResult(stored: Uint8Array | null, candidate: Uint8Array): V2AuthResult {
  return stored === null ? 'unbound' : sameHash(stored, candidate) ? 'ok' : 'mismatch';
}

/** A page of changes from up to `limit + 1` rows of `changesQuery`. */
export function changesPage(
  owner: { readonly v2_seq: number | string },
  rows: readonly Selectable<V2ItemsTable>[],
  limit: number,
): V2Changes {
  return { items: rows.slice(0, limit).map(toItem), seq: Number(owner.v2_seq), more: rows.length > limit };
}

function sameHash(stored: Uint8Array, candidate: Uint8Array): boolean {
  return stored.length === candidate.length && timingSafeEqual(stored, candidate);
}

function toItem(row: Selectable<V2ItemsTable>): V2StoredItem {
  return { id: row.item_id, rev: row.rev, seq: Number(row.seq), deleted: row.deleted === 1, envelope: row.envelope };
}
