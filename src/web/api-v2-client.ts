import { printable } from '../core/printable.js';
import { createV2Client, type V2WriteOutcome } from '../core/v2/client.js';
import type { V2Item, V2WriteResponse } from '../core/v2/wire.js';
import { pageFailure, pageResult, type ApiAnswer, type ApiFailure } from './api-client.js';

/** Same-origin protocol v2 API (docs/protocol.md §3); only the auth token and envelopes are sent. */
const V2_API = '/api/v2';

/** Whose v2 account: the Open2FA ID (the envelopes' binding, never sent on v2) and the bearer token. */
export interface V2Auth {
  readonly id: string;
  readonly token: string;
}

export type V2Failure =
  | ApiFailure
  /** 401: the token is refused. */
  | { readonly kind: 'unauthorized' }
  /** 409: a stale revision (`item` is the server's current one) or a full quota (`item` is null). */
  | { readonly kind: 'conflict'; readonly item: V2Item | null; readonly detail: string };

export type V2Result<T> =
  { readonly ok: true; readonly answer: ApiAnswer<T> } | { readonly ok: false; readonly failure: V2Failure };

/** Every live and deleted item after paging through `since`/`more`, and the user's current sequence. */
export interface V2Pull {
  readonly items: readonly V2Item[];
  readonly seq: number;
}

export interface V2ApiClient {
  /** All changes since `since` (0: everything), page by page within core/v2's page cap. */
  pull(auth: V2Auth, since?: number): Promise<V2Result<V2Pull>>;
  /** Creates (`rev` 0) or replaces the item at its base revision. */
  put(auth: V2Auth, itemId: string, rev: number, envelope: string): Promise<V2Result<V2WriteResponse>>;
  /** Leaves a tombstone (`envelope`: the sealed tombstone), if `rev` is still the current revision. */
  remove(auth: V2Auth, itemId: string, rev: number, envelope: string): Promise<V2Result<V2WriteResponse>>;
}

/**
 * The v2 API client of the page: core/v2's client with the page's failure kinds. `fetchImpl` and
 * `now` are parameters so tests can replace them.
 */
export function createV2ApiClient(
  fetchImpl: typeof fetch = fetch.bind(globalThis),
  now: () => number = Date.now,
): V2ApiClient {
  const client = (auth: V2Auth) => createV2Client({ apiUrl: V2_API, token: auth.token, fetch: fetchImpl, now });

  function write(result: Awaited<ReturnType<ReturnType<typeof client>['put']>>): V2Result<V2WriteResponse> {
    if (!result.ok) return { ok: false, failure: v2Failure(result.failure) };
    const outcome: V2WriteOutcome = result.value.data;
    if (outcome.status === 'conflict') {
      return { ok: false, failure: { kind: 'conflict', item: outcome.item, detail: 'stale revision' } };
    }
    if (outcome.status === 'not_found') return { ok: false, failure: { kind: 'not_found' } };
    return pageResult({ ok: true, value: { data: outcome, answer: result.value.answer } }, ({ item, seq }) => ({
      item,
      seq,
    }));
  }

  return {
    async pull(auth, since = 0) {
      const result = await client(auth).allChanges(since);
      if (!result.ok) return { ok: false, failure: v2Failure(result.failure) };
      return pageResult(result, (listing) => listing);
    },
    put: async (auth, itemId, rev, envelope) => write(await client(auth).put(itemId, rev, envelope)),
    remove: async (auth, itemId, rev, envelope) => write(await client(auth).remove(itemId, rev, envelope)),
  };
}

function v2Failure(failure: Parameters<typeof pageFailure>[0]): V2Failure {
  if (failure.kind === 'unauthorized') return { kind: 'unauthorized' };
  // A 409 without the current item is the quota: the server's words say which limit.
  if (failure.kind === 'rejected' && failure.status === 409) {
    return { kind: 'conflict', item: null, detail: printable(failure.detail ?? failure.statusText) };
  }
  return pageFailure(failure);
}
