import { displayName } from '../entries.js';
import { MESSAGES } from '../messages.js';
import { begin, fail, type ActionContext } from './action-context.js';
import { writeV2 } from './v2-write.js';

/** HOTP: saves the next counter, so the entry shows the next code. */
export async function nextCode(context: ActionContext, key: string): Promise<boolean> {
  const open = begin(context, key);
  if (open?.entry === undefined) return open === null ? false : fail(context, MESSAGES.conflict);
  const { session, entry } = open;
  // The button exists only on v2 HOTP rows (v1 stores TOTP secrets only).
  if (entry.storage.protocol !== 'v2' || entry.type !== 'hotp') return fail(context, MESSAGES.conflict);
  const next = { ...entry, counter: entry.counter + 1 };
  const notice = `Saved counter ${String(next.counter)} for “${displayName(entry)}”.`;
  return writeV2(context, session, entry.storage.itemId, entry.storage.rev, next, notice);
}
