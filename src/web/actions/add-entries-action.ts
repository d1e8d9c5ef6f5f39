import type { Entry as OtpEntry } from '../../core/entry/model.js';
import { randomItemId } from '../../core/v2/item-id.js';
import type { V2Failure } from '../api-v2-client.js';
import type { ShownEntry } from '../app-state.js';
import { sortEntries } from '../entries.js';
import { describeFailure } from '../messages.js';
import { begin, type ActionContext } from './action-context.js';
import { putEntry } from './v2-write.js';

/**
 * Adds parsed entries (an import) as new v2 items, one request each, in order; stops at the first
 * failure (explained in the notice). Resolves to how many were stored; all of them are shown.
 */
export async function addEntries(context: ActionContext, entries: readonly OtpEntry[]): Promise<number> {
  const open = begin(context);
  if (open === null) return 0;
  const added: ShownEntry[] = [];
  let failure: V2Failure | null = null;
  for (const entry of entries) {
    const result = await putEntry(context, open.session, randomItemId(), 0, entry);
    if (!result.ok) {
      failure = result.failure;
      break;
    }
    added.push(result.entry);
  }
  const count = added.length === 1 ? 'one entry' : `${String(added.length)} entries`;
  const { store } = context;
  store.update({
    busy: false,
    entries: sortEntries([...store.state.entries, ...added]),
    notice:
      failure === null
        ? { tone: 'info', text: `Added ${count}.` }
        : { tone: 'error', text: `Added ${count}, then stopped: ${describeFailure(failure)}` },
  });
  return added.length;
}
