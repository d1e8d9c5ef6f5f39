import type { Entry as OtpEntry } from '../../core/entry/model.js';
import type { V2Failure } from '../api-v2-client.js';
import type { ShownEntry, Session } from '../app-state.js';
import { sortEntries } from '../entries.js';
import { v2Auth } from '../load-entries.js';
import { describeFailure, MESSAGES } from '../messages.js';
import { sealEntry, v2Entry } from '../v2-entries.js';
import { fail, syncClock, trashPlace, type ActionContext } from './action-context.js';
import { load } from './load-action.js';

export type PutOutcome =
  { readonly ok: true; readonly entry: ShownEntry } | { readonly ok: false; readonly failure: V2Failure };

/** Seals and PUTs one entry; the page's entry at its new revision, or the failure. */
export async function putEntry(
  context: ActionContext,
  session: Session,
  itemId: string,
  rev: number,
  entry: OtpEntry,
): Promise<PutOutcome> {
  const envelope = await sealEntry(session.v2.envelopeKey, session.id, itemId, entry, rev);
  const result = await context.apiV2.put(v2Auth(session), itemId, rev, envelope);
  if (!result.ok) return result;
  syncClock(context, result.answer);
  const { item, seq } = result.answer.body;
  context.seen = { id: session.id, seq: Math.max(context.seen.seq, seq) };
  // What the page wrote is what it shows: a deletion of it elsewhere reaches the trash too.
  const { recordWrite } = await import('../trash/v2-listing.js');
  const held = { itemId: item.id, rev: item.rev, sealed: true, envelope };
  await recordWrite(session.id, trashPlace(context), held, Date.now());
  return { ok: true, entry: v2Entry(entry, item.id, item.rev, envelope) };
}

/** A failed write: a stale v2 revision reloads the list, anything else is explained. */
export async function writeFailed(context: ActionContext, session: Session, failure: V2Failure): Promise<false> {
  if (failure.kind === 'conflict' && failure.item !== null) {
    await load(context, session, { conflictNotice: MESSAGES.conflict });
    return false;
  }
  return fail(context, describeFailure(failure));
}

/** Writes one v2 entry and shows its new state in the sorted list (a new item or a replaced one). */
export async function writeV2(
  context: ActionContext,
  session: Session,
  itemId: string,
  rev: number,
  entry: OtpEntry,
  notice: string,
): Promise<boolean> {
  const result = await putEntry(context, session, itemId, rev, entry);
  if (!result.ok) return writeFailed(context, session, result.failure);
  const { store } = context;
  const others = store.state.entries.filter((candidate) => candidate.key !== result.entry.key);
  store.update({
    busy: false,
    editing: null,
    entries: sortEntries([...others, result.entry]),
    notice: { tone: 'info', text: notice },
  });
  return true;
}
