import { hash } from 'node:crypto';
import { V2_LIMITS } from '../../core/wire/v2-wire.js';
import type { V2ChangesResponse, V2Item, V2WriteResponse } from '../../core/wire/v2-wire.js';
import type { Store, UserKey, V2WriteResult } from '../../store/store.js';
import { ServiceError } from './service-error.js';
import { userKey } from './user-key.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]{43})$/;
const IF_MATCH = /^(?:W\/)?"?(\d{1,9})"?$/;

/** The protocol v2 rules (docs/protocol.md §3): token binding, revisions, tombstones, paging. */
export class V2Service {
  readonly #store: Store;
  readonly #maxItems: number;

  constructor(store: Store, maxItems: number = V2_LIMITS.maxItems) {
    this.#store = store;
    this.#maxItems = maxItems;
  }

  /**
   * The reader's store key once the ID and token check out, or `null` when no token is bound yet (then
   * there is nothing to read). Reads never bind: a mistyped Secret must not lock the owner out for good.
   */
  async reader(userHash: string | undefined, authorization: string | undefined): Promise<UserKey | null> {
    return this.#authenticate(userHash, authorization, false);
  }

  /** The writer's store key; the first write binds the token (trust on first write). */
  async writer(userHash: string | undefined, authorization: string | undefined): Promise<UserKey> {
    const user = await this.#authenticate(userHash, authorization, true);
    if (user === null) throw new TypeError('a binding authentication always yields a user');
    return user;
  }

  async #authenticate(
    userHash: string | undefined,
    authorization: string | undefined,
    bind: boolean,
  ): Promise<UserKey | null> {
    const user = userKey(userHash);
    const token = authorization === undefined ? null : BEARER.exec(authorization)?.[1];
    if (token === null || token === undefined) {
      throw new ServiceError('unauthorized', 'v2 requests need "Authorization: Bearer <auth token>"');
    }
    const result = await this.#store.v2Authenticate(user, hash('sha256', token, 'buffer'), bind);
    if (result === 'mismatch') throw new ServiceError('unauthorized', 'wrong auth token for this Open2FA ID');
    return result === 'unbound' ? null : user;
  }

  async changes(
    user: UserKey | null,
    since: string | undefined,
    limit: string | undefined,
  ): Promise<V2ChangesResponse> {
    const pageSize = limit === undefined ? V2_LIMITS.pageDefault : Number(limit);
    if (pageSize < 1 || pageSize > V2_LIMITS.pageMax) {
      throw new ServiceError('invalid_precondition', `limit must be 1 to ${String(V2_LIMITS.pageMax)}`);
    }
    if (user === null) return { items: [], seq: 0, more: false };
    const changes = await this.#store.v2Changes(user, since === undefined ? 0 : Number(since), pageSize);
    return { items: changes.items.map((item) => ({ ...item })), seq: changes.seq, more: changes.more };
  }

  async put(user: UserKey, itemId: string, ifMatch: string | undefined, envelope: string): Promise<V2WriteResponse> {
    return answer(await this.#store.v2Put(user, itemId, baseRevision(ifMatch), envelope, this.#maxItems));
  }

  async delete(user: UserKey, itemId: string, ifMatch: string | undefined): Promise<V2WriteResponse> {
    return answer(await this.#store.v2Delete(user, itemId, baseRevision(ifMatch)));
  }
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

function answer(result: V2WriteResult): V2WriteResponse {
  switch (result.status) {
    case 'ok':
      return { item: { ...result.item } satisfies V2Item, seq: result.seq };
    case 'conflict':
      throw new ServiceError('conflict', `the item is at revision ${String(result.item.rev)}; merge and retry`, {
        item: { ...result.item },
      });
    case 'not_found':
      throw new ServiceError('not_found', 'no item with this id (create it with If-Match: "0")');
    case 'quota_exceeded':
      throw new ServiceError('quota_exceeded', `a user can store at most ${String(result.limit)} items`);
  }
}
