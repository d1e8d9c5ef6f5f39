import { lockedState, type Credentials } from '../app-state.js';
import { loadEntries } from '../load-entries.js';
import { describeFailure, integrityNotice, MESSAGES, rollbackNotice, undecryptableNotice } from '../messages.js';
import { fail, syncClock, type ActionContext } from './action-context.js';

/** Loads everything and opens the session; `conflictNotice` explains why it was reloaded. */
export interface LoadOptions {
  /** Explains why the list was reloaded (a 409). */
  readonly conflictNotice?: string;
  /** Nothing stored for the ID asks "new account or typo?" instead of opening an empty session. */
  readonly askIfEmpty?: boolean;
}

export async function load(
  context: ActionContext,
  credentials: Credentials,
  options: LoadOptions = {},
): Promise<boolean> {
  const conflictNotice = options.conflictNotice ?? null;
  const { store, api, apiV2 } = context;
  const keys = store.state.session?.id === credentials.id ? store.state.session.v2 : undefined;
  const outcome = await loadEntries(credentials, api, apiV2, keys, context.offline);
  if (outcome.kind === 'mismatch') {
    store.update(lockedState(store.state));
    return fail(context, MESSAGES.secretMismatch);
  }
  if (outcome.kind === 'failed') {
    if (outcome.failure.kind === 'unauthorized') store.update({ session: null, entries: [] });
    return fail(context, describeFailure(outcome.failure));
  }
  if (options.askIfEmpty === true && outcome.noneStored && context.offline.syncedAt === null) {
    store.update({ busy: false, emptyCheck: outcome.session, notice: { tone: 'info', text: MESSAGES.emptyCheck } });
    return false;
  }
  for (const answer of outcome.answers) syncClock(context, answer);
  const { syncedAt } = context.offline;
  const warnings: string[] = [];
  const { seen } = context;
  if (seen.id === credentials.id && outcome.seq < seen.seq) warnings.push(rollbackNotice(seen.seq, outcome.seq));
  else context.seen = { id: credentials.id, seq: outcome.seq };
  warnings.push(...outcome.refused);
  if (outcome.integrityFailed > 0) warnings.push(integrityNotice(outcome.integrityFailed));
  if (outcome.undecryptable > 0) warnings.push(undecryptableNotice(outcome.undecryptable));
  if (conflictNotice !== null) warnings.unshift(conflictNotice);
  const said = [...warnings, ...outcome.removed];
  const text = said.length > 0 ? said.join(' ') : outcome.noneStored ? MESSAGES.noEntries : null;
  store.update({
    busy: false,
    session: outcome.session,
    entries: outcome.entries,
    undecryptable: outcome.undecryptable,
    editing: null,
    emptyCheck: null,
    offline: syncedAt === null ? null : { syncedAt },
    notice: text === null ? null : { tone: warnings.length > 0 ? 'error' : 'info', text },
  });
  return true;
}
