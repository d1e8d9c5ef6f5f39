import type { Credentials } from '../app-state.js';
import type { ActionContext } from './action-context.js';
import { load } from './load-action.js';

/** Fetches and decrypts the entries; `true` when the session is open (also for an ID with no entries). */
export async function unlock(context: ActionContext, credentials: Credentials): Promise<boolean> {
  const { store } = context;
  if (store.state.busy) return false;
  store.update({ busy: true, notice: null, query: '' });
  return load(context, credentials, null);
}
