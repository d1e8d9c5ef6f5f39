import { lockedState } from '../app-state.js';
import { MESSAGES } from '../messages.js';
import type { ActionContext } from './action-context.js';

/** Drops the session, the decrypted entries and any preview; only the clock correction stays. */
export function lock(context: ActionContext, notice: string = MESSAGES.locked): void {
  const { store } = context;
  store.update({ ...lockedState(store.state), notice: { tone: 'info', text: notice } });
}
