import { INITIAL_STATE } from '../app-state.js';
import { MESSAGES } from '../messages.js';
import type { ActionContext } from './action-context.js';

/** Drops the session, the decrypted entries and any preview; only the clock correction stays. */
export function lock(context: ActionContext, notice: string = MESSAGES.locked): void {
  const { store } = context;
  store.update({ ...INITIAL_STATE, clockOffsetMs: store.state.clockOffsetMs, notice: { tone: 'info', text: notice } });
}
