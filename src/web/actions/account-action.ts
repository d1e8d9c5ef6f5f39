import { deriveV1Credentials } from '../../core/v1/keys.js';
import { randomUuid } from '../../core/uuid.js';
import { MESSAGES } from '../messages.js';
import type { ActionContext } from './action-context.js';
import { unlock } from './unlock-action.js';

/**
 * A new account: a random UUID (`crypto.getRandomValues`, version 4) shown as a recovery kit before
 * anything else. Nothing is sent until `finishAccount`; even then only the ID derived from it.
 */
export function createAccount(context: ActionContext): void {
  context.store.update({ kit: { uuid: randomUuid() }, notice: null, emptyCheck: null });
}

export function cancelAccount(context: ActionContext): void {
  context.store.update({ kit: null });
}

/** "I have saved it": derives the ID and Secret from the kit's UUID and opens the (empty) account. */
export async function finishAccount(context: ActionContext): Promise<boolean> {
  const { store } = context;
  const kit = store.state.kit;
  if (kit === null) return false;
  const { id, key } = await deriveV1Credentials(kit.uuid);
  store.update({ kit: null });
  if (!(await unlock(context, { id, key }))) return false;
  if (store.state.entries.length === 0) store.update({ notice: { tone: 'info', text: MESSAGES.kitSaved } });
  return true;
}
