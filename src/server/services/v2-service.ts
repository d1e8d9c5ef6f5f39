import { hash } from 'node:crypto';
import { V2_LIMITS } from '../../core/v2/wire.js';
import type { V2Item, V2WriteResponse } from '../../core/v2/wire.js';
import type { AccountKey, Store, V2StorageLimits, V2StoredItem, V2WriteResult } from '../../store/store.js';
import { EMPTY_CHANGES_BODY } from '../../store/v2-changes-page.js';
import { ServiceError } from './service-error.js';

/**
 * `Authorization: Bearer <T_auth>`: the scheme is case-insensitive and one or more spaces may follow it
 * (RFC 9110 §11.1, §11.4); the token is 32 bytes in base64url, 43 characters.
 */
const BEARER = /^bearer +([A-Za-z0-9_-]{43})$/i;
const IF_MATCH = /^(?:W\/)?"?(\d{1,9})"?$/;
const DAY_MS = 86_400_000;

/** Tombstones a create may compact, per docs/protocol.md §3: those deleted at least this long ago. */
export const TOMBSTONE_COMPACT_AFTER_MS = 30 * DAY_MS;

/**
 * The protocol v2 rules (docs/protocol.md §3, revision 2): accounts keyed by the token, revisions,
 * sealed tombstones, paging, account deletion.
 */
export class V2Service {
  readonly #store: Store;
  readonly #limits: V2StorageLimits;

  constructor(store: Store, maxItems: number = V2_LIMITS.maxItems) {
    this.#store = store;
    // Live items and tombstones together stay within twice the live quota (compaction, see the store).
    this.#limits = { maxItems, maxRows: 2 * maxItems, compactAfterMs: TOMBSTONE_COMPACT_AFTER_MS };
  }

  /** The account a request speaks for: the SHA-256 of its bearer token; 401 without a well-formed one. */
  account(authorization: string | undefined): AccountKey {
    const token = bearerToken(authorization);
    if (token === undefined) {
      throw new ServiceError('unauthorized', 'v2 requests need "Authorization: Bearer <auth token>"');
    }
    return hash('sha256', token, 'buffer');
  }

  /**
   * The key the account's write budget is counted under (rate-limit-plugin.ts), or undefined without a
   * well-formed token. A hash of the account key under its own label: neither the token nor the stored
   * key ever reaches the counters (Redis).
   */
  writeBudgetKey(authorization: string | undefined): string | undefined {
    const token = bearerToken(authorization);
    if (token === undefined) return undefined;
    return hash('sha256', `open2fa/v2 write budget|${hash('sha256', token, 'hex')}`, 'base64url');
  }

  /**
   * The account's changes as the exact body of the answer (`V2ChangesResponse`, built by the store), and
   * whether the account exists. An account that was never written reads as empty (a new device's first
   * sync), but the caller counts it as a failed lookup: guessing tokens must cost what guessing IDs costs.
   */
  async changesBody(
    account: AccountKey,
    since: string | undefined,
    limit: string | undefined,
  ): Promise<{ readonly body: Buffer; readonly found: boolean }> {
    const pageSize = limit === undefined ? V2_LIMITS.pageDefault : Number(limit);
    if (pageSize < 1 || pageSize > V2_LIMITS.pageMax) {
      throw new ServiceError('invalid_precondition', `limit must be 1 to ${String(V2_LIMITS.pageMax)}`);
    }
    const body = await this.#store.v2ChangesBody(account, since === undefined ? 0 : Number(since), pageSize);
    return body === null ? { body: EMPTY_CHANGES_BODY, found: false } : { body, found: true };
  }

  async put(
    account: AccountKey,
    itemId: string,
    ifMatch: string | undefined,
    envelope: string,
  ): Promise<V2WriteResponse> {
    return answer(await this.#store.v2Put(account, itemId, baseRevision(ifMatch), envelope, this.#limits));
  }

  /** Leaves a tombstone that keeps `envelope`, the deleting client's sealed deletion. */
  async delete(
    account: AccountKey,
    itemId: string,
    ifMatch: string | undefined,
    envelope: string,
  ): Promise<V2WriteResponse> {
    return answer(await this.#store.v2Delete(account, itemId, baseRevision(ifMatch), envelope));
  }

  /** Erases every v2 row of the account; the number of live items erased. */
  async deleteAccount(account: AccountKey): Promise<number> {
    const deleted = await this.#store.v2DeleteAccount(account);
    if (deleted === null) throw new ServiceError('not_found', 'no v2 account for this auth token');
    return deleted;
  }
}

function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
}

/** `If-Match: "3"` (quotes optional) → 3; `"0"` means "create". */
function baseRevision(ifMatch: string | undefined): number {
  if (ifMatch === undefined) {
    throw new ServiceError('precondition_required', 'send If-Match with the base revision ("0" to create)');
  }
  const match = IF_MATCH.exec(ifMatch.trim());
  if (match?.[1] === undefined)
    throw new ServiceError('invalid_precondition', 'If-Match must be a revision number, e.g. "3"');
  return Number(match[1]);
}

/** A stored item as the wire shows it: a live item always has its envelope. */
function wireItem(item: V2StoredItem): V2Item {
  const { id, rev, seq, envelope } = item;
  if (!item.deleted && envelope !== null) return { id, rev, seq, deleted: false, envelope };
  if (!item.deleted) throw new TypeError(`the store holds live item ${id} without an envelope`);
  return { id, rev, seq, deleted: true, envelope };
}
function answer(result: V2WriteResult): V2WriteResponse {
  switch (result.status) {
    case 'ok':
      return { item: wireItem(result.item), seq: result.seq };
    case 'conflict':
      throw new ServiceError('conflict', `the item is at revision ${String(result.item.rev)}; merge and retry`, {
        item: wireItem(result.item),
      });
    case 'not_found':
      throw new ServiceError('not_found', 'no item with this id (create it with If-Match: "0")');
    case 'quota_exceeded':
      throw new ServiceError('quota_exceeded', `a user can store at most ${String(result.limit)} items`);
    case 'storage_full':
      throw new ServiceError(
        'quota_exceeded',
        `the account holds ${String(result.limit)} items and deletions, and no deletion is old enough ` +
          'to compact (30 days); try again later or delete the account',
      );
  }
}
