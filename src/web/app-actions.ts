import { sameCodes } from '../core/entry/compare.js';
import { type Entry as OtpEntry } from '../core/entry/model.js';
import { randomItemId } from '../core/v2/cipher.js';
import type { V1StoredTotp } from '../core/v1/wire.js';
import type { ApiAnswer, ApiClient } from './api-client.js';
import type { V2ApiClient, V2Failure } from './api-v2-client.js';
import { INITIAL_STATE, type AppStore, type Credentials, type Entry, type Session } from './app-state.js';
import { decryptEntries, displayName, sortEntries } from './entries.js';
import { loadEntries, v2Auth } from './load-entries.js';
import { describeFailure, integrityNotice, MESSAGES, rollbackNotice, undecryptableNotice } from './messages.js';
import { parseNewEntry } from './new-entry.js';
import { chooseClockOffset, estimateClockOffset } from './server-clock.js';
import { sealDeletion, sealEntry, v2Entry } from './v2-entries.js';

export interface Actions {
  /** Fetches and decrypts the entries; `true` when the session is open (also for an ID with no entries). */
  unlock(credentials: Credentials): Promise<boolean>;
  /** Adds an entry as a new v2 item. */
  add(input: string, nameText: string): Promise<boolean>;
  /**
   * Adds parsed entries (an import) as new v2 items, one request each, in order; stops at the first
   * failure (explained in the notice). Resolves to how many were stored; all of them are shown.
   */
  addEntries(entries: readonly OtpEntry[]): Promise<number>;
  rename(key: string, nameText: string): Promise<boolean>;
  remove(key: string): Promise<boolean>;
  /** HOTP: saves the next counter, so the entry shows the next code. */
  nextCode(key: string): Promise<boolean>;
  lock(notice?: string): void;
}

/**
 * The flows of the page: each turns one intent into API calls and one or more state updates. v2 entries
 * change with `If-Match` on the revision the page saw; a 409 reloads the list. v1 entries keep the v1
 * calls (rename = the same `enc_secret` with a new name, delete by `enc_secret`); `open2fa remote migrate`
 * moves them to v2.
 */
export function createActions(store: AppStore, api: ApiClient, apiV2: V2ApiClient): Actions {
  /** The highest v2 sequence this page saw for the ID: a lower one later is a rollback (protocol.md §4). */
  let seen = { id: '', seq: 0 };

  const fail = (text: string): false => {
    store.update({ busy: false, notice: { tone: 'error', text } });
    return false;
  };

  function syncClock(answer: ApiAnswer<unknown>): void {
    const estimate = estimateClockOffset(answer.dateHeader, answer.sentAt, answer.receivedAt);
    store.update({ clockOffsetMs: chooseClockOffset(estimate, store.state.clockOffsetMs) });
  }

  /** Loads everything and opens the session; `conflictNotice` explains why it was reloaded. */
  async function load(credentials: Credentials, conflictNotice: string | null): Promise<boolean> {
    const keys = store.state.session?.id === credentials.id ? store.state.session.v2 : undefined;
    const outcome = await loadEntries(credentials, api, apiV2, keys);
    if (outcome.kind === 'mismatch') {
      store.update({ ...INITIAL_STATE, clockOffsetMs: store.state.clockOffsetMs });
      return fail(MESSAGES.secretMismatch);
    }
    if (outcome.kind === 'failed') {
      if (outcome.failure.kind === 'unauthorized') store.update({ session: null, entries: [] });
      return fail(describeFailure(outcome.failure));
    }
    for (const answer of outcome.answers) syncClock(answer);
    const warnings: string[] = [];
    if (seen.id === credentials.id && outcome.seq < seen.seq) warnings.push(rollbackNotice(seen.seq, outcome.seq));
    else seen = { id: credentials.id, seq: outcome.seq };
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

  /** A failed v2 write: a stale revision reloads the list, anything else is explained. */
  async function v2Failed(session: Session, failure: V2Failure): Promise<false> {
    if (failure.kind === 'conflict' && failure.item !== null) {
      await load(session, MESSAGES.conflict);
      return false;
    }
    return fail(describeFailure(failure));
  }

  /** The v2 item's new state after a write, in the sorted list (a new item or a replaced one). */
  function stored(entry: Entry, notice: string): true {
    const others = store.state.entries.filter((candidate) => candidate.key !== entry.key);
    store.update({
      busy: false,
      editing: null,
      entries: sortEntries([...others, entry]),
      notice: { tone: 'info', text: notice },
    });
    return true;
  }

  async function writeV2(
    session: Session,
    itemId: string,
    rev: number,
    entry: OtpEntry,
    notice: string,
  ): Promise<boolean> {
    const result = await putEntry(session, itemId, rev, entry);
    if (!result.ok) return v2Failed(session, result.failure);
    return stored(result.entry, notice);
  }

  /** Seals and PUTs one entry; the page's entry at its new revision, or the failure. */
  async function putEntry(
    session: Session,
    itemId: string,
    rev: number,
    entry: OtpEntry,
  ): Promise<{ readonly ok: true; readonly entry: Entry } | { readonly ok: false; readonly failure: V2Failure }> {
    const envelope = await sealEntry(session.v2.envelopeKey, session.id, itemId, entry, rev);
    const result = await apiV2.put(v2Auth(session), itemId, rev, envelope);
    if (!result.ok) return result;
    syncClock(result.answer);
    const { item, seq } = result.answer.body;
    seen = { id: session.id, seq: Math.max(seen.seq, seq) };
    return { ok: true, entry: v2Entry(entry, item.id, item.rev) };
  }

  /** v1 answers with the whole list after a push: decrypt it again, keep the v2 entries. */
  async function applyV1List(session: Session, totps: readonly V1StoredTotp[], notice: string): Promise<true> {
    const { entries, failed } = await decryptEntries(session.key, totps);
    const v2 = store.state.entries.filter((entry) => entry.storage.protocol === 'v2');
    store.update({
      busy: false,
      editing: null,
      entries: sortEntries([...v2, ...entries]),
      undecryptable: failed,
      notice: { tone: failed > 0 ? 'error' : 'info', text: failed > 0 ? undecryptableNotice(failed) : notice },
    });
    return true;
  }

  /** The open session and the entry `key`, unless another request is running. */
  function begin(key?: string): { session: Session; entry: Entry | undefined } | null {
    const { session, busy } = store.state;
    if (session === null || busy) return null;
    store.update({ busy: true });
    return { session, entry: store.state.entries.find((candidate) => candidate.key === key) };
  }

  return {
    async unlock(credentials) {
      if (store.state.busy) return false;
      store.update({ busy: true, notice: null, query: '' });
      return load(credentials, null);
    },

    async add(input, nameText) {
      const parsed = parseNewEntry(input);
      if (!parsed.ok) return fail(parsed.message);
      const name = nameText.trim() || parsed.entry.name;
      const entry: OtpEntry = { ...parsed.entry, name };
      const existing = store.state.entries.find((candidate) => sameCodes(candidate, entry));
      if (existing !== undefined) {
        return fail(`This secret is already stored as “${displayName(existing)}”. Use Rename to change its name.`);
      }
      const open = begin();
      if (open === null) return false;
      return writeV2(open.session, randomItemId(), 0, entry, `Added “${displayName({ name })}”.`);
    },

    async addEntries(entries) {
      const open = begin();
      if (open === null) return 0;
      const added: Entry[] = [];
      let failure: V2Failure | null = null;
      for (const entry of entries) {
        const result = await putEntry(open.session, randomItemId(), 0, entry);
        if (!result.ok) {
          failure = result.failure;
          break;
        }
        added.push(result.entry);
      }
      const count = added.length === 1 ? 'one entry' : `${String(added.length)} entries`;
      store.update({
        busy: false,
        entries: sortEntries([...store.state.entries, ...added]),
        notice:
          failure === null
            ? { tone: 'info', text: `Added ${count}.` }
            : { tone: 'error', text: `Added ${count}, then stopped: ${describeFailure(failure)}` },
      });
      return added.length;
    },

    async rename(key, nameText) {
      const open = begin(key);
      if (open?.entry === undefined) return open === null ? false : fail(MESSAGES.conflict);
      const { session, entry } = open;
      const name = nameText.trim() === '' ? null : nameText.trim();
      const notice = `Renamed to “${displayName({ name })}”.`;
      if (entry.storage.protocol === 'v2') {
        return writeV2(session, entry.storage.itemId, entry.storage.rev, { ...entry, name }, notice);
      }
      // v1 upserts by enc_secret: the same ciphertext with a new name is a rename.
      const result = await api.push(session.id, [{ enc_secret: entry.storage.encSecret, name }]);
      if (!result.ok) return fail(describeFailure(result.failure));
      syncClock(result.answer);
      return applyV1List(session, result.answer.body.totps, notice);
    },

    async remove(key) {
      const open = begin(key);
      if (open?.entry === undefined) return open === null ? false : fail(MESSAGES.conflict);
      const { session, entry } = open;
      const { storage } = entry;
      const result =
        storage.protocol === 'v2'
          ? await apiV2.remove(
              v2Auth(session),
              storage.itemId,
              storage.rev,
              await sealDeletion(session.v2.envelopeKey, session.id, storage.itemId, storage.rev),
            )
          : await api.remove(session.id, [{ enc_secret: storage.encSecret }]);
      if (!result.ok) return v2Failed(session, result.failure);
      syncClock(result.answer);
      store.update({
        busy: false,
        editing: null,
        entries: store.state.entries.filter((candidate) => candidate.key !== key),
        notice: { tone: 'info', text: `Deleted “${displayName(entry)}”.` },
      });
      return true;
    },

    async nextCode(key) {
      const open = begin(key);
      if (open?.entry === undefined) return open === null ? false : fail(MESSAGES.conflict);
      const { session, entry } = open;
      // The button exists only on v2 HOTP rows (v1 stores TOTP secrets only).
      if (entry.storage.protocol !== 'v2' || entry.type !== 'hotp') return fail(MESSAGES.conflict);
      const next = { ...entry, counter: entry.counter + 1 };
      const notice = `Saved counter ${String(next.counter)} for “${displayName(entry)}”.`;
      return writeV2(session, entry.storage.itemId, entry.storage.rev, next, notice);
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
