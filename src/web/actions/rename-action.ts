import { decryptEntries, displayName, sortEntries } from '../entries.js';
import { describeFailure, MESSAGES, undecryptableNotice } from '../messages.js';
import { begin, fail, syncClock, type ActionContext } from './action-context.js';
import type { Session } from '../app-state.js';
import { load } from './load-action.js';
import { writeV2 } from './v2-write.js';

async function reloadWith(context: ActionContext, session: Session, notice: string): Promise<boolean> {
  const loaded = await load(context, session);
  if (loaded && context.store.state.notice === null) context.store.update({ notice: { tone: 'info', text: notice } });
  return loaded;
}

/**
 * Renames an entry: a v2 entry is a new envelope with `If-Match` on the revision the page saw; a v1
 * entry is the same `enc_secret` pushed with the new name (v1 upserts by `enc_secret`).
 */
export async function rename(context: ActionContext, key: string, nameText: string): Promise<boolean> {
  const open = begin(context, key);
  if (open?.entry === undefined) return open === null ? false : fail(context, MESSAGES.conflict);
  const { session, entry } = open;
  const name = nameText.trim() === '' ? null : nameText.trim();
  const notice = `Renamed to “${displayName({ name })}”.`;
  if (entry.storage.protocol === 'v2') {
    const { v1Copy, ...v2Only } = entry;
    if (v1Copy !== undefined) {
      // Both copies: the v1 one is the same enc_secret pushed with the new name, then the v2 write.
      const renamed = await context.api.push(session.id, [{ enc_secret: v1Copy.encSecret, name }]);
      if (!renamed.ok) return fail(context, describeFailure(renamed.failure));
      syncClock(context, renamed.answer);
    }
    const written = await writeV2(
      context,
      session,
      entry.storage.itemId,
      entry.storage.rev,
      { ...v2Only, name },
      notice,
    );
    // The written entry is v2 only: reload so the card keeps its v1 copy.
    if (written && v1Copy !== undefined) return reloadWith(context, session, notice);
    return written;
  }
  const result = await context.api.push(session.id, [{ enc_secret: entry.storage.encSecret, name }]);
  if (!result.ok) return fail(context, describeFailure(result.failure));
  syncClock(context, result.answer);
  // v1 answers with the whole list after a push: decrypt it again, keep the v2 entries.
  const { entries, failed } = await decryptEntries(session.key, result.answer.body.totps);
  const { store } = context;
  const v2 = store.state.entries.filter((candidate) => candidate.storage.protocol === 'v2');
  store.update({
    busy: false,
    editing: null,
    entries: sortEntries([...v2, ...entries]),
    undecryptable: failed,
    notice: { tone: failed > 0 ? 'error' : 'info', text: failed > 0 ? undecryptableNotice(failed) : notice },
  });
  return true;
}
