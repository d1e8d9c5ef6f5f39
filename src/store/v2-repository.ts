import type { Selectable, Transaction } from 'kysely';
import type { Database, V2ItemsTable } from './database-schema.js';
import { Repository } from './repository.js';
import type { AccountKey, V2StorageLimits, V2StoredItem, V2WriteResult } from './store.js';
import { NO_VERSION, type V2PageVersion } from './v2-changes-page.js';

interface Owner {
  readonly id: number;
  readonly seq: number;
}

/**
 * Protocol v2 storage (docs/protocol.md §3, revision 2): accounts keyed by the hash of their token,
 * items with revisions, a per-account change sequence and tombstones. Every write runs in one
 * transaction holding the account's row, so revisions and sequence numbers never race, on SQLite (one
 * writer) and PostgreSQL (`FOR UPDATE`) alike. A write that does not succeed changes nothing: its
 * transaction is rolled back, so a failed first write leaves no account behind.
 */
export class V2Repository extends Repository {
  /**
   * One statement for a sync: the account's row (no row at all for an unknown account) with up to `rows`
   * of its changes after `since`, in sequence order (one row without a change when there is none). When
   * the account's row is still `unchanged`, the version of a page the caller already holds
   * (v2-page-cache.ts), the changes are not read: the caller sends what it holds.
   */
  changesPageQuery(account: AccountKey, since: number, rows: number, unchanged: V2PageVersion = NO_VERSION) {
    return this.db
      .selectFrom('v2_accounts as a')
      .leftJoin('v2_items as i', (join) =>
        join
          // NULL (no item at all) while the account is unchanged: the index finds nothing to filter.
          .on((eb) =>
            eb(
              'i.account_id',
              '=',
              eb
                .case()
                .when(
                  eb.or([
                    eb('a.id', '!=', unchanged.id),
                    eb('a.seq', '!=', unchanged.seq),
                    eb('a.created_at', '!=', unchanged.createdAt),
                  ]),
                )
                .then(eb.ref('a.id'))
                .end(),
            ),
          )
          .on('i.seq', '>', since),
      )
      .select([
        'a.id as account_id',
        'a.seq as account_seq',
        'a.created_at as account_created_at',
        'i.item_id',
        'i.rev',
        'i.seq',
        'i.deleted',
        'i.envelope',
      ])
      .where('a.token_hash', '=', account)
      .orderBy('i.seq')
      .limit(rows);
  }

  /** The account's row as `changesPageQuery` reads it, without the items (`V2PageVersion`). */
  versionQuery(account: AccountKey) {
    return this.db
      .selectFrom('v2_accounts')
      .select(['id', 'seq', 'created_at as createdAt'])
      .where('token_hash', '=', account);
  }

  put(
    account: AccountKey,
    itemId: string,
    baseRev: number,
    envelope: string,
    limits: V2StorageLimits,
  ): Promise<V2WriteResult> {
    return this.#transaction(async (trx) => {
      const now = Date.now();
      let owner = await this.#lockAccount(trx, account);
      if (owner === undefined) {
        // Only a create can make an account; anything else has nothing to act on.
        if (baseRev !== 0) return { status: 'not_found' };
        owner = await this.#createAccount(trx, account, now);
      }
      const current = await this.#item(trx, owner.id, itemId);
      if (current === undefined && baseRev !== 0) return { status: 'not_found' };
      if (current !== undefined && current.rev !== baseRev) return { status: 'conflict', item: current };
      if (current === undefined || current.deleted) {
        const live = await this.#count(trx, owner.id, true);
        if (live >= limits.maxItems) return { status: 'quota_exceeded', limit: limits.maxItems };
      }
      if (current === undefined && !(await this.#makeRoom(trx, owner.id, limits, now))) {
        return { status: 'storage_full', limit: limits.maxRows };
      }
      const seq = await this.#nextSeq(trx, owner);
      const row = { rev: baseRev + 1, seq, envelope, deleted: 0, updated_at: now };
      if (current === undefined) {
        await trx
          .insertInto('v2_items')
          .values({ account_id: owner.id, item_id: itemId, created_at: now, ...row })
          .execute();
      } else {
        await this.#updateItem(trx, owner.id, itemId, row);
      }
      return { status: 'ok', item: { id: itemId, rev: row.rev, seq, deleted: false, envelope }, seq };
    });
  }

  delete(account: AccountKey, itemId: string, baseRev: number, envelope: string): Promise<V2WriteResult> {
    return this.#transaction(async (trx) => {
      const owner = await this.#lockAccount(trx, account);
      if (owner === undefined) return { status: 'not_found' };
      const current = await this.#item(trx, owner.id, itemId);
      if (current === undefined) return { status: 'not_found' };
      if (current.rev !== baseRev) return { status: 'conflict', item: current };
      // Deleting a tombstone again changes nothing.
      if (current.deleted) return { status: 'ok', item: current, seq: owner.seq };
      const seq = await this.#nextSeq(trx, owner);
      const rev = baseRev + 1;
      await this.#updateItem(trx, owner.id, itemId, { rev, seq, envelope, deleted: 1, updated_at: Date.now() });
      return { status: 'ok', item: { id: itemId, rev, seq, deleted: true, envelope }, seq };
    });
  }

  async deleteAccount(account: AccountKey): Promise<number | null> {
    return this.db.transaction().execute(async (trx) => {
      const owner = await this.#lockAccount(trx, account);
      if (owner === undefined) return null;
      const live = await this.#count(trx, owner.id, true);
      await trx.deleteFrom('v2_items').where('account_id', '=', owner.id).execute();
      await trx.deleteFrom('v2_accounts').where('id', '=', owner.id).execute();
      return live;
    });
  }

  /** Runs a write; any answer but `ok` rolls its transaction back (a created account, a compaction). */
  async #transaction(write: (trx: Transaction<Database>) => Promise<V2WriteResult>): Promise<V2WriteResult> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const result = await write(trx);
        if (result.status !== 'ok') throw new Unsuccessful(result);
        return result;
      });
    } catch (error) {
      if (error instanceof Unsuccessful) return error.result;
      throw error;
    }
  }

  /**
   * Whether one more row fits under `maxRows`, after erasing as many of the oldest tombstones deleted
   * before the compaction age as needed. Devices that had not synced since lose nothing: they see the
   * item as not on the server and upload it again (docs/protocol.md §3).
   */
  async #makeRoom(
    trx: Transaction<Database>,
    accountId: number,
    limits: V2StorageLimits,
    now: number,
  ): Promise<boolean> {
    const over = (await this.#count(trx, accountId, false)) + 1 - limits.maxRows;
    if (over <= 0) return true;
    const oldest = trx
      .selectFrom('v2_items')
      .select('item_id')
      .where('account_id', '=', accountId)
      .where('deleted', '=', 1)
      .where('updated_at', '<=', now - limits.compactAfterMs)
      .orderBy('seq')
      .limit(over);
    const erased = await trx
      .deleteFrom('v2_items')
      .where('account_id', '=', accountId)
      .where('item_id', 'in', oldest)
      .executeTakeFirst();
    return Number(erased.numDeletedRows) >= over;
  }

  /** The account's row, locked until the transaction ends; undefined for an unknown account. */
  async #lockAccount(trx: Transaction<Database>, account: AccountKey): Promise<Owner | undefined> {
    const row = await this.locking(
      trx.selectFrom('v2_accounts').select(['id', 'seq']).where('token_hash', '=', account),
    ).executeTakeFirst();
    return row === undefined ? undefined : { id: row.id, seq: Number(row.seq) };
  }

  /** A new account, locked; a concurrent first create of the same account waits and then finds it. */
  async #createAccount(trx: Transaction<Database>, account: AccountKey, now: number): Promise<Owner> {
    await trx
      .insertInto('v2_accounts')
      .values({ token_hash: account, created_at: now })
      .onConflict((conflict) => conflict.column('token_hash').doNothing())
      .execute();
    const owner = await this.#lockAccount(trx, account);
    if (owner === undefined) throw new Error('the new v2 account is not there inside its own transaction');
    return owner;
  }

  async #count(trx: Transaction<Database>, accountId: number, liveOnly: boolean): Promise<number> {
    let query = trx
      .selectFrom('v2_items')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('account_id', '=', accountId);
    if (liveOnly) query = query.where('deleted', '=', 0);
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  async #item(trx: Transaction<Database>, accountId: number, itemId: string): Promise<V2StoredItem | undefined> {
    const row = await trx
      .selectFrom('v2_items')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    return row === undefined ? undefined : toItem(row);
  }

  async #updateItem(
    trx: Transaction<Database>,
    accountId: number,
    itemId: string,
    row: { rev: number; seq: number; envelope: string; deleted: number; updated_at: number },
  ): Promise<void> {
    await trx
      .updateTable('v2_items')
      .set(row)
      .where('account_id', '=', accountId)
      .where('item_id', '=', itemId)
      .execute();
  }

  async #nextSeq(trx: Transaction<Database>, owner: Owner): Promise<number> {
    const seq = owner.seq + 1;
    await trx.updateTable('v2_accounts').set({ seq }).where('id', '=', owner.id).execute();
    return seq;
  }
}

/** Carries an unsuccessful write's answer out of its transaction, which rolls back on the way. */
class Unsuccessful extends Error {
  readonly result: V2WriteResult;
  constructor(result: V2WriteResult) {
    super(`v2 write: ${result.status}`);
    this.result = result;
  }
}

function toItem(row: Selectable<V2ItemsTable>): V2StoredItem {
  return { id: row.item_id, rev: row.rev, seq: Number(row.seq), deleted: row.deleted === 1, envelope: row.envelope };
}
