import type { Entry as OtpEntry } from '../../core/entry/model.js';
import type { ApiClient } from '../api-client.js';
import type { V2ApiClient } from '../api-v2-client.js';
import type { AppStore, Credentials } from '../app-state.js';
import type { OfflineTracker } from '../offline/offline-copy.js';
import { cancelAccount, createAccount, finishAccount } from './account-action.js';
import { createActionContext, fail, type ActionContext } from './action-context.js';
import { MESSAGES } from '../messages.js';
import { lock } from './lock-action.js';
import type * as WriteActions from './write-actions.js';
import type { LoadOptions } from './load-action.js';
import { cancelEmpty, confirmEmpty, unlock } from './unlock-action.js';

/** The flows of the page, each in its own module over one shared `ActionContext`. */
export interface Actions {
  /**
   * Fetches and decrypts the entries; `true` when the session is open. With `askIfEmpty`, an ID with
   * nothing stored waits for `confirmEmpty` ("new account") or `cancelEmpty` ("typo").
   */
  unlock(credentials: Credentials, options?: LoadOptions): Promise<boolean>;
  confirmEmpty(): boolean;
  cancelEmpty(): void;
  /** Shows the recovery kit of a new random UUID. */
  createAccount(): void;
  cancelAccount(): void;
  /** After "I have saved it": opens the new account. */
  finishAccount(): Promise<boolean>;
  /** Adds an entry as a new v2 item. */
  add(input: string, nameText: string): Promise<boolean>;
  /**
   * Adds parsed entries (an import) as new v2 items, one request each, in order; stops at the first
   * failure (explained in the notice). Resolves to how many were stored; all of them are shown.
   */
  addEntries(entries: readonly OtpEntry[]): Promise<number>;
  rename(key: string, nameText: string): Promise<boolean>;
  remove(key: string): Promise<boolean>;
  /** HOTP: saves the next counter, so the entry shows the next code. */
  nextCode(key: string): Promise<boolean>;
  lock(notice?: string): void;
}

/**
 * The actions that write (and their v2 write path): a lazy chunk, fetched at the first write or when the
 * session panels load after an unlock, so the first load carries only what shows the codes.
 */
const writes = (): Promise<typeof WriteActions> => import('./write-actions.js');

/** Runs a write once its chunk is in; a chunk that cannot be fetched is said in the notice (nothing changed). */
async function write<T>(
  context: ActionContext,
  failed: T,
  run: (chunk: typeof WriteActions) => Promise<T>,
): Promise<T> {
  let chunk: typeof WriteActions;
  try {
    chunk = await writes();
  } catch {
    fail(context, MESSAGES.writeLoadFailed);
    return failed;
  }
  return run(chunk);
}

/**
 * Binds every action to one context. v2 entries change with `If-Match` on the revision the page saw; a
 * 409 reloads the list. v1 entries keep the v1 calls; `open2fa remote migrate` moves them to v2.
 */
export function createActions(store: AppStore, api: ApiClient, apiV2: V2ApiClient, offline?: OfflineTracker): Actions {
  const context = createActionContext(store, api, apiV2, offline);
  return {
    unlock: async (credentials, options) => {
      const open = await unlock(context, credentials, options);
      // Warm the write chunk while the codes show (a failure here is met again, and said, at the write).
      if (open) void writes().catch(() => undefined);
      return open;
    },
    confirmEmpty: () => confirmEmpty(context),
    cancelEmpty: () => {
      cancelEmpty(context);
    },
    createAccount: () => {
      createAccount(context);
    },
    cancelAccount: () => {
      cancelAccount(context);
    },
    finishAccount: () => finishAccount(context),
    add: (input, nameText) => write(context, false, (chunk) => chunk.add(context, input, nameText)),
    addEntries: (entries) => write(context, 0, (chunk) => chunk.addEntries(context, entries)),
    rename: (key, nameText) => write(context, false, (chunk) => chunk.rename(context, key, nameText)),
    remove: (key) => write(context, false, (chunk) => chunk.remove(context, key)),
    nextCode: (key) => write(context, false, (chunk) => chunk.nextCode(context, key)),
    lock: (notice) => {
      lock(context, notice);
    },
  };
}
