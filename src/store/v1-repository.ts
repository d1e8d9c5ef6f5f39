import type { Transaction } from 'kysely';
import type { Database } from './database-schema.js';
import { Repository } from './repository.js';
import type { PushV1Result, UserKey, V1Entry } from './store.js';
import { emptyV1ListBody, v1ListBody } from './v1-list-document.js';

/** Rows per INSERT statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 200;

/**
 * Legacy v1 storage: a user (keyed by the hash of the Open2FA ID), its entries upserted by ciphertext,
 * and the list document the pull answers (v1-list-document.ts), rewritten in the transaction of every
 * write. Writes hold the user's row, so a concurrent push and delete rewrite the document one after the
 * other (SQLite has one writer; PostgreSQL takes `FOR UPDATE`).
 */
export class V1Repository extends Repository {
  /** One row: the user, and the list body when the user has ever stored an entry; no row for an unknown user. */
  listBodyQuery(user: UserKey) {
    return this.db
      .selectFrom('users')
      .leftJoin('v1_lists', 'v1_lists.user_id', 'users.id')
      .select('v1_lists.body')
      .where('users.id_hash', '=', user);
  }

  async list(user: UserKey): Promise<readonly V1Entry[] | null> {
    const rows = await this.db
      .selectFrom('users')
      .leftJoin('v1_totps', 'v1_totps.user_id', 'users.id')
      .select(['v1_totps.enc_secret', 'v1_totps.name'])
      .where('users.id_hash', '=', user)
      .orderBy('v1_totps.id')
      .execute();
    if (rows.length === 0) return null;
    const entries: V1Entry[] = [];
    for (const row of rows) {
      if (row.enc_secret !== null) entries.push({ encSecret: row.enc_secret, name: row.name });
    }
    return entries;
  }

  async listBody(user: UserKey): Promise<Buffer | null> {
    const row = await this.listBodyQuery(user).executeTakeFirst();
    if (row === undefined) return null;
    return row.body === null
      ? emptyV1ListBody()
      : Buffer.from(row.body.buffer, row.body.byteOffset, row.body.byteLength);
  }

  async push(user: UserKey, entries: readonly V1Entry[], maxEntries: number): Promise<PushV1Result> {
    const latest = new Map<string, string | null>();
    for (const entry of entries) {
      latest.delete(entry.encSecret); // keep the position of the last occurrence
      latest.set(entry.encSecret, entry.name);
    }
    // More distinct entries than the quota can never fit: refused before any statement.
    if (latest.size > maxEntries) return { status: 'quota_exceeded', limit: maxEntries };
    return this.db
      .transaction()
      .execute(async (trx) => {
        const now = Date.now();
        const { userId, created } = await this.#lockOrCreateUser(trx, user, now);
        const incoming = [...latest.keys()];
        const rows = incoming.map((encSecret) => ({
          user_id: userId,
          enc_secret: encSecret,
          name: latest.get(encSecret) ?? null,
          created_at: now,
          updated_at: now,
        }));
        for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
          await trx
            .insertInto('v1_totps')
            .values(rows.slice(start, start + INSERT_CHUNK))
            .onConflict((conflict) =>
              conflict.columns(['user_id', 'enc_secret']).doUpdateSet((eb) => ({
                name: eb.ref('excluded.name'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
        }
        // The quota is checked on the rows the upsert left, which the list document is made of anyway
        // (one statement fewer than counting first): over it, nothing is kept, the user row included.
        const list = await this.#entries(trx, userId);
        if (list.length > maxEntries) throw new QuotaExceeded(maxEntries);
        await this.#writeBody(trx, userId, list);
        return { status: 'ok' as const, userCreated: created, entries: list };
      })
      .catch((error: unknown) => {
        if (error instanceof QuotaExceeded) return { status: 'quota_exceeded' as const, limit: error.limit };
        throw error;
      });
  }

  async delete(user: UserKey, encSecrets: readonly string[]): Promise<number | null> {
    return this.db.transaction().execute(async (trx) => {
      const found = await this.#lockUser(trx, user);
      if (found === undefined) return null;
      if (encSecrets.length === 0) return 0;
      const result = await trx
        .deleteFrom('v1_totps')
        .where('user_id', '=', found.id)
        .where('enc_secret', 'in', [...new Set(encSecrets)])
        .executeTakeFirst();
      const deleted = Number(result.numDeletedRows);
      if (deleted > 0) await this.#rewriteBody(trx, found.id);
      return deleted;
    });
  }

  /** Erases the user's entries, list document and row; the number of entries, or null for an unknown user. */
  async deleteAccount(user: UserKey): Promise<number | null> {
    return this.db.transaction().execute(async (trx) => {
      const found = await this.#lockUser(trx, user);
      if (found === undefined) return null;
      const erased = await trx.deleteFrom('v1_totps').where('user_id', '=', found.id).executeTakeFirst();
      await trx.deleteFrom('v1_lists').where('user_id', '=', found.id).execute();
      await trx.deleteFrom('users').where('id', '=', found.id).execute();
      return Number(erased.numDeletedRows);
    });
  }

  /** The user's row, locked until the transaction ends, or undefined for an unknown user. */
  async #lockUser(trx: Transaction<Database>, user: UserKey): Promise<{ id: number } | undefined> {
    return this.locking(trx.selectFrom('users').select('id').where('id_hash', '=', user)).executeTakeFirst();
  }

  /**
   * Rewrites the user's list body from the rows, inside the transaction that changed them, and returns
   * the entries it was made of (insertion order).
   */
  async #rewriteBody(trx: Transaction<Database>, userId: number): Promise<V1Entry[]> {
    const entries = await this.#entries(trx, userId);
    await this.#writeBody(trx, userId, entries);
    return entries;
  }

  /** The user's entries in insertion order, as the transaction sees them. */
  async #entries(trx: Transaction<Database>, userId: number): Promise<V1Entry[]> {
    const rows = await trx
      .selectFrom('v1_totps')
      .select(['enc_secret', 'name'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ encSecret: row.enc_secret, name: row.name }));
  }

  async #writeBody(trx: Transaction<Database>, userId: number, entries: readonly V1Entry[]): Promise<void> {
    const body = v1ListBody(entries);
    await trx
      .insertInto('v1_lists')
      .values({ user_id: userId, body })
      .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ body }))
      .execute();
  }

  /**
   * Returns the user's row id, creating the row if needed, and holds the user's lock until the
   * transaction ends, so concurrent pushes for one user cannot both pass the quota check. An existing
   * user (every push but the first) costs one statement.
   */
  async #lockOrCreateUser(
    trx: Transaction<Database>,
    user: UserKey,
    now: number,
  ): Promise<{ userId: number; created: boolean }> {
    const found = await this.#lockUser(trx, user);
    if (found !== undefined) return { userId: found.id, created: false };
    const inserted = await trx
      .insertInto('users')
      .values({ id_hash: user, created_at: now })
      .onConflict((conflict) => conflict.column('id_hash').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted !== undefined) return { userId: inserted.id, created: true };
    // Created by a concurrent push (PostgreSQL) since the lookup above: wait for its lock.
    const existing = await this.#lockUser(trx, user);
    if (existing === undefined) throw new Error('the user row vanished inside its own transaction');
    return { userId: existing.id, created: false };
  }
}

class QuotaExceeded extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`more than ${String(limit)} entries`);
    this.limit = limit;
  }
}
