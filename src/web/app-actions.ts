import type { V1StoredTotp } from '../core/wire/v1-wire.js';
import type { ApiAnswer, ApiClient, ApiFailure } from './api-client.js';
import { INITIAL_STATE, type AppStore, type Session } from './app-state.js';
import { decryptEntries, displayName, encryptSecret } from './entries.js';
import { describeFailure, MESSAGES, undecryptableNotice } from './messages.js';
import { parseNewEntry } from './new-entry.js';
import { chooseClockOffset, estimateClockOffset } from './server-clock.js';

export interface Actions {
  /** Fetches and decrypts the entries; `true` when the session is open (also for an ID with no entries). */
  unlock(session: Session): Promise<boolean>;
  add(input: string, nameText: string): Promise<boolean>;
  rename(encSecret: string, nameText: string): Promise<boolean>;
  remove(encSecret: string): Promise<boolean>;
  lock(notice?: string): void;
}

/** The flows of the page: each turns one intent into API calls and one or more state updates. */
export function createActions(store: AppStore, api: ApiClient): Actions {
  const info = (text: string): void => {
    store.update({ notice: { tone: 'info', text } });
  };
  const fail = (text: string): false => {
    store.update({ busy: false, notice: { tone: 'error', text } });
    return false;
  };
  const failWith = (failure: ApiFailure): false => fail(describeFailure(failure));

  function syncClock(answer: ApiAnswer<unknown>): void {
    const estimate = estimateClockOffset(answer.dateHeader, answer.sentAt, answer.receivedAt);
    store.update({ clockOffsetMs: chooseClockOffset(estimate, store.state.clockOffsetMs) });
  }

  async function applyStored(
    session: Session,
    stored: readonly V1StoredTotp[],
    notice: string | null,
  ): Promise<boolean> {
    const { entries, failed } = await decryptEntries(session.key, stored);
    if (entries.length === 0 && failed > 0) {
      store.update({ ...INITIAL_STATE, clockOffsetMs: store.state.clockOffsetMs });
      return fail(MESSAGES.secretMismatch);
    }
    const text = failed > 0 ? undecryptableNotice(failed) : notice;
    store.update({
      busy: false,
      session,
      entries,
      undecryptable: failed,
      editing: null,
      notice: text === null ? null : { tone: failed > 0 ? 'error' : 'info', text },
    });
    return true;
  }

  /** The open session, unless another request is running. */
  function begin(): Session | null {
    const { session, busy } = store.state;
    if (session === null || busy) return null;
    store.update({ busy: true });
    return session;
  }

  return {
    async unlock(session) {
      if (store.state.busy) return false;
      store.update({ busy: true, notice: null });
      const result = await api.list(session.id);
      if (!result.ok) {
        if (result.failure.kind !== 'not_found') return failWith(result.failure);
        // No entries yet: open the session anyway, so the first entry can be added.
        store.update({ busy: false, session, entries: [], undecryptable: 0, editing: null, query: '' });
        info(MESSAGES.noEntries);
        return true;
      }
      syncClock(result.answer);
      store.update({ query: '' });
      return applyStored(session, result.answer.body.totps, null);
    },

    async add(input, nameText) {
      const parsed = parseNewEntry(input);
      if (!parsed.ok) return fail(parsed.message);
      const session = begin();
      if (session === null) return false;
      const name = nameText.trim() || parsed.name;
      const encSecret = await encryptSecret(session.key, parsed.secret);
      const existing = store.state.entries.find((entry) => entry.encSecret === encSecret);
      if (existing !== undefined) {
        return fail(`This secret is already stored as “${displayName(existing)}”. Use Rename to change its name.`);
      }
      const result = await api.push(session.id, [{ enc_secret: encSecret, name }]);
      if (!result.ok) return failWith(result.failure);
      syncClock(result.answer);
      return applyStored(session, result.answer.body.totps, `Added “${displayName({ name })}”.`);
    },

    async rename(encSecret, nameText) {
      const session = begin();
      if (session === null) return false;
      const name = nameText.trim() === '' ? null : nameText.trim();
      // v1 upserts by enc_secret: the same ciphertext with a new name is a rename.
      const result = await api.push(session.id, [{ enc_secret: encSecret, name }]);
      if (!result.ok) return failWith(result.failure);
      syncClock(result.answer);
      return applyStored(session, result.answer.body.totps, `Renamed to “${displayName({ name })}”.`);
    },

    async remove(encSecret) {
      const session = begin();
      if (session === null) return false;
      const entry = store.state.entries.find((candidate) => candidate.encSecret === encSecret);
      const result = await api.remove(session.id, [{ enc_secret: encSecret }]);
      if (!result.ok) return failWith(result.failure);
      syncClock(result.answer);
      store.update({
        busy: false,
        editing: null,
        entries: store.state.entries.filter((candidate) => candidate.encSecret !== encSecret),
        notice: { tone: 'info', text: `Deleted “${displayName(entry ?? { name: null })}”.` },
      });
      return true;
    },

    lock(notice = MESSAGES.locked) {
      store.update({
        ...INITIAL_STATE,
        clockOffsetMs: store.state.clockOffsetMs,
        notice: { tone: 'info', text: notice },
      });
    },
  };
}
