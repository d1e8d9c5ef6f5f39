import { displayName } from '../entries.js';
import { v2Auth } from '../load-entries.js';
import { describeFailure, MESSAGES } from '../messages.js';
import { begin, fail, syncClock, trashPlace, type ActionContext } from './action-context.js';
import { sealDeletion } from '../v2-entries.js';
import { writeFailed } from './v2-write.js';

/**
 * Deletes an entry: a sealed v2 tombstone with `If-Match` on the revision the page saw (protocol
 * revision 2: other devices obey only sealed deletions), or v1 by `enc_secret`.
 */
export async function remove(context: ActionContext, key: string): Promise<boolean> {
  const open = begin(context, key);
  if (open?.entry === undefined) return open === null ? false : fail(context, MESSAGES.conflict);
  const { session, entry } = open;
  const { storage } = entry;
  // The envelope goes to the page's trash first: the deletion can be undone for 30 days.
  const undo = storage.protocol === 'v2' ? await trashFirst(context, session.id, storage) : null;
  const result =
    storage.protocol === 'v2'
      ? await context.apiV2.remove(
          v2Auth(session),
          storage.itemId,
          storage.rev,
          await sealDeletion(session.v2.envelopeKey, session.id, storage.itemId, storage.rev),
        )
      : await context.api.remove(session.id, [{ enc_secret: storage.encSecret }]);
  if (!result.ok) {
    await undo?.();
    return writeFailed(context, session, result.failure);
  }
  syncClock(context, result.answer);
  if (entry.v1Copy !== undefined) {
    // The same secret's v1 copy goes too, or the next load would show it again as a v1 card.
    const v1 = await context.api.remove(session.id, [{ enc_secret: entry.v1Copy.encSecret }]);
    if (!v1.ok) return fail(context, describeFailure(v1.failure));
    syncClock(context, v1.answer);
  }
  const { store } = context;
  store.update({
    busy: false,
    editing: null,
    entries: store.state.entries.filter((candidate) => candidate.key !== key),
    notice: { tone: 'info', text: `Deleted “${displayName(entry)}”.` },
  });
  return true;
}

async function trashFirst(
  context: ActionContext,
  userId: string,
  { itemId, rev, envelope }: { itemId: string; rev: number; envelope: string },
): Promise<() => Promise<void>> {
  const { trashBeforeDelete } = await import('../trash/v2-listing.js');
  const item = { itemId, rev, sealed: true, envelope };
  return trashBeforeDelete(userId, trashPlace(context), item, Date.now());
}
