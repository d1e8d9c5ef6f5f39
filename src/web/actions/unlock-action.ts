import type { Credentials } from '../app-state.js';
import { MESSAGES } from '../messages.js';
import type { ActionContext } from './action-context.js';
import { load, type LoadOptions } from './load-action.js';

/**
 * Fetches and decrypts the entries; `true` when the session is open. With `askIfEmpty` (typed
 * credentials), an ID with nothing stored waits for `confirmEmpty` or `cancelEmpty` instead.
 */
export async function unlock(
  context: ActionContext,
  credentials: Credentials,
  options: LoadOptions = {},
): Promise<boolean> {
  const { store } = context;
  if (store.state.busy) return false;
  store.update({ busy: true, notice: null, query: '', emptyCheck: null });
  return load(context, credentials, options);
}

/** "It is a new account": opens the empty session the unlock found. */
export function confirmEmpty(context: ActionContext): boolean {
  const { store } = context;
  const session = store.state.emptyCheck;
  if (session === null) return false;
  store.update({
    session,
    entries: [],
    undecryptable: 0,
    emptyCheck: null,
    offline: null,
    notice: { tone: 'info', text: MESSAGES.noEntries },
  });
  return true;
}

/** "It is a typo": drops the session the unlock found, so the fields can be corrected. */
export function cancelEmpty(context: ActionContext): void {
  context.store.update({ emptyCheck: null, notice: { tone: 'info', text: MESSAGES.checkTyped } });
}
