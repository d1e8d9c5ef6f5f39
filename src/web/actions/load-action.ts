import { INITIAL_STATE, type Credentials } from '../app-state.js';
import { loadEntries } from '../load-entries.js';
import { describeFailure, integrityNotice, MESSAGES, rollbackNotice, undecryptableNotice } from '../messages.js';
import { fail, syncClock, type ActionContext } from './action-context.js';

/** Loads everything and opens the session; `conflictNotice` explains why it was reloaded. */
export async function load(
  context: ActionContext,
  credentials: Credentials,
  conflictNotice: string | null,
): Promise<boolean> {
  const { store, api, apiV2 } = context;
  const keys = store.state.session?.id === credentials.id ? store.state.session.v2 : undefined;
  const outcome = await loadEntries(credentials, api, apiV2, keys);
  if (outcome.kind === 'mismatch') {
    store.update({ ...INITIAL_STATE, clockOffsetMs: store.state.clockOffsetMs });
    return fail(context, MESSAGES.secretMismatch);
  }
  if (outcome.kind === 'failed') {
    if (outcome.failure.kind === 'unauthorized') store.update({ session: null, entries: [] });
    return fail(context, describeFailure(outcome.failure));
  }
  for (const answer of outcome.answers) syncClock(context, answer);
  const warnings: string[] = [];
  const { seen } = context;
  if (seen.id === credentials.id && outcome.seq < seen.seq) warnings.push(rollbackNotice(seen.seq, outcome.seq));
  else context.seen = { id: credentials.id, seq: outcome.seq };
  if (outcome.integrityFailed > 0) warnings.push(integrityNotice(outcome.integrityFailed));
  if (outcome.undecryptable > 0) warnings.push(undecryptableNotice(outcome.undecryptable));
  if (conflictNotice !== null) warnings.unshift(conflictNotice);
  const text = warnings.length > 0 ? warnings.join(' ') : outcome.noneStored ? MESSAGES.noEntries : null;
  store.update({
    busy: false,
    session: outcome.session,
    entries: outcome.entries,
    undecryptable: outcome.undecryptable,
    editing: null,
    notice: text === null ? null : { tone: warnings.length > 0 ? 'error' : 'info', text },
  });
  return true;
}
