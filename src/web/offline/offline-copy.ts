import type { V1ListResponse } from '../../core/v1/wire.js';
import type { ApiAnswer, ApiClient } from '../api-client.js';
import type { V2ApiClient, V2Pull } from '../api-v2-client.js';
import { idbGet, idbPut } from '../idb.js';

/** What the page keeps per ID: the last answers exactly as the server sent them (ciphertexts only). */
interface CopyRecord<T> {
  readonly body: T;
  readonly syncedAt: number;
}

/** Whether the last load was served from the copy, and when that copy was synced. */
export interface OfflineTracker {
  /** `null` when the last list came from the server. */
  syncedAt: number | null;
  /** This device is remembered: the offline copy and the trash are kept in IndexedDB. */
  readonly keep?: () => boolean;
}

/**
 * The record key of an ID: a SHA-256 of it, so the ID itself is not stored in IndexedDB (the ID stays
 * only where "Remember my Open2FA ID" put it).
 */
async function copyKey(id: string, part: 'v1' | 'v2'): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`open2fa-offline-copy\u0000${id}`));
  return `${[...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}:${part}`;
}

async function save(id: string, part: 'v1' | 'v2', body: unknown, now: number): Promise<void> {
  try {
    await idbPut('copy', await copyKey(id, part), { body, syncedAt: now } satisfies CopyRecord<unknown>);
  } catch {
    // Private mode or a full quota: the offline copy is a convenience.
  }
}

async function load<T>(
  id: string,
  part: 'v1' | 'v2',
  isBody: (value: unknown) => value is T,
): Promise<CopyRecord<T> | null> {
  try {
    const record = await idbGet('copy', await copyKey(id, part));
    if (typeof record !== 'object' || record === null) return null;
    const { body, syncedAt } = record as Record<string, unknown>;
    return typeof syncedAt === 'number' && isBody(body) ? { body, syncedAt } : null;
  } catch {
    return null;
  }
}

function fromCopy<T>(record: CopyRecord<T>, tracker: OfflineTracker): { ok: true; answer: ApiAnswer<T> } {
  tracker.syncedAt = Math.min(tracker.syncedAt ?? record.syncedAt, record.syncedAt);
  // No Date header: an old copy must not move the clock correction.
  return { ok: true, answer: { body: record.body, dateHeader: null, sentAt: 0, receivedAt: 0 } };
}

const isV1List = (value: unknown): value is V1ListResponse =>
  typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>).totps);
const isV2Pull = (value: unknown): value is V2Pull =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as Record<string, unknown>).items) &&
  typeof (value as Record<string, unknown>).seq === 'number';

/**
 * Wraps the two API clients (unchanged) so that the lists they read are kept in IndexedDB while
 * `enabled()` (this device is remembered), and served from there when the server is unreachable. The
 * tracker says which it was; writes always go to the server (the actions refuse them offline).
 */
export function withOfflineCopy(
  api: ApiClient,
  apiV2: V2ApiClient,
  enabled: () => boolean,
  now: () => number = Date.now,
): { readonly api: ApiClient; readonly apiV2: V2ApiClient; readonly tracker: OfflineTracker } {
  const tracker: OfflineTracker = { syncedAt: null, keep: enabled };
  return {
    tracker,
    api: {
      ...api,
      async list(id) {
        tracker.syncedAt = null;
        const result = await api.list(id);
        if (!enabled()) return result;
        if (result.ok) await save(id, 'v1', result.answer.body, now());
        else if (result.failure.kind === 'not_found') await save(id, 'v1', { totps: [] }, now());
        else if (result.failure.kind === 'unreachable') {
          const record = await load(id, 'v1', isV1List);
          if (record !== null) return fromCopy(record, tracker);
        }
        return result;
      },
    },
    apiV2: {
      ...apiV2,
      async pull(auth, since) {
        const result = await apiV2.pull(auth, since);
        if (!enabled() || (since ?? 0) !== 0) return result;
        if (result.ok) await save(auth.id, 'v2', result.answer.body, now());
        else if (result.failure.kind === 'unreachable') {
          const record = await load(auth.id, 'v2', isV2Pull);
          if (record !== null) return fromCopy(record, tracker);
        }
        return result;
      },
    },
  };
}
