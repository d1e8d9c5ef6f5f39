import type { ApiAnswer, ApiClient } from '../api-client.js';
import type { V2ApiClient } from '../api-v2-client.js';
import type { AppStore, ShownEntry, Session } from '../app-state.js';
import { IDB } from '../idb.js';
import { MESSAGES } from '../messages.js';
import type { TrashPlace } from '../trash/trash-store.js';
import type { OfflineTracker } from '../offline/offline-copy.js';
import { chooseClockOffset, estimateClockOffset } from '../server-clock.js';

/**
 * What every action shares: the one store, the two API clients and the highest v2 sequence this page
 * saw for the ID (a lower one later is a rollback, protocol.md §4).
 */
export interface ActionContext {
  readonly store: AppStore;
  readonly api: ApiClient;
  readonly apiV2: V2ApiClient;
  /** Set by the offline copy when a list came from this device instead of the server. */
  readonly offline: OfflineTracker;
  seen: { id: string; seq: number };
}

export function createActionContext(
  store: AppStore,
  api: ApiClient,
  apiV2: V2ApiClient,
  offline: OfflineTracker = { syncedAt: null },
): ActionContext {
  return { store, api, apiV2, offline, seen: { id: '', seq: 0 } };
}

/** Where the page's trash lives (trash/trash-store.ts): IndexedDB on a remembered device, else memory. */
export function trashPlace(context: ActionContext): TrashPlace {
  return { db: IDB, persist: context.offline.keep?.() === true };
}

/** Ends the running request with an error notice. */
export function fail(context: ActionContext, text: string): false {
  context.store.update({ busy: false, notice: { tone: 'error', text } });
  return false;
}

/** Feeds an answer's `Date` header to the clock-skew estimate. */
export function syncClock(context: ActionContext, answer: ApiAnswer<unknown>): void {
  const { store } = context;
  const estimate = estimateClockOffset(answer.dateHeader, answer.sentAt, answer.receivedAt);
  store.update({ clockOffsetMs: chooseClockOffset(estimate, store.state.clockOffsetMs) });
}

/**
 * The open session and the entry `key`, unless another request is running; marks the page busy. Offline
 * (entries from this device's copy), every write is refused with a notice.
 */
export function begin(
  context: ActionContext,
  key?: string,
): { session: Session; entry: ShownEntry | undefined } | null {
  const { store } = context;
  const { session, busy, offline } = store.state;
  if (session === null || busy) return null;
  if (offline !== null) {
    fail(context, MESSAGES.offlineWrite);
    return null;
  }
  store.update({ busy: true });
  return { session, entry: store.state.entries.find((candidate) => candidate.key === key) };
}
