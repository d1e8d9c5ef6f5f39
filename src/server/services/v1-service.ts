import { V1_LIMITS, type V1StoredTotp, type V1Totp } from '../../core/v1/wire.js';
import type { Store, V1Entry } from '../../store/store.js';
import { ServiceError } from './service-error.js';
import { userKey } from './user-key.js';

/** The legacy v1 rules, as the open2fa 1.x server applied them (minus its delete-count bug). */
export class V1Service {
  readonly #store: Store;
  readonly #maxEntries: number;

  constructor(store: Store, maxEntries: number = V1_LIMITS.maxEntries) {
    this.#store = store;
    this.#maxEntries = maxEntries;
  }

  /**
   * The user's entries in insertion order, as the exact body of the v1 pull (`{"totps":[…]}`): the
   * store keeps it serialised, so a pull neither builds nor serialises one object per entry.
   */
  async listBody(userHash: string | undefined): Promise<Buffer> {
    const body = await this.#store.listV1Body(userKey(userHash));
    if (body === null) throw unknownUser();
    return body;
  }

  /** Upserts by ciphertext; a missing name stores `null`, as 1.x did. */
  async push(
    userHash: string | undefined,
    totps: readonly V1Totp[],
  ): Promise<{ userCreated: boolean; totps: V1StoredTotp[] }> {
    const key = userKey(userHash);
    const entries: V1Entry[] = totps.map((totp) => ({ encSecret: totp.enc_secret, name: totp.name ?? null }));
    const result = await this.#store.pushV1(key, entries, this.#maxEntries);
    if (result.status === 'quota_exceeded') {
      throw new ServiceError('quota_exceeded', `a user can store at most ${String(result.limit)} entries`);
    }
    return { userCreated: result.userCreated, totps: result.entries.map(toWire) };
  }

  /** Deletes by ciphertext (names are ignored) and returns how many were deleted. */
  async delete(userHash: string | undefined, totps: readonly V1Totp[]): Promise<number> {
    const deleted = await this.#store.deleteV1(
      userKey(userHash),
      totps.map((totp) => totp.enc_secret),
    );
    if (deleted === null) throw unknownUser();
    return deleted;
  }

  /** Legacy `GET /totps/{enc_secret}`: the user's entry with this ciphertext. */
  async findOne(userHash: string | undefined, encSecret: string): Promise<V1StoredTotp> {
    const entries = await this.#store.listV1(userKey(userHash));
    if (entries === null) throw unknownUser();
    const entry = entries.find((candidate) => candidate.encSecret === encSecret);
    if (entry === undefined) throw noSuchEntry();
    return toWire(entry);
  }

  /** Legacy `DELETE /totp/{enc_secret}`: deletes the user's entry with this ciphertext, or says there is none. */
  async deleteOne(userHash: string | undefined, encSecret: string): Promise<void> {
    const deleted = await this.#store.deleteV1(userKey(userHash), [encSecret]);
    if (deleted === null) throw unknownUser();
    if (deleted === 0) throw noSuchEntry();
  }

  /** Erases every v1 row of the user (entries, list, user) and returns how many entries went. */
  async deleteAccount(userHash: string | undefined): Promise<number> {
    const deleted = await this.#store.deleteV1Account(userKey(userHash));
    if (deleted === null) throw unknownUser();
    return deleted;
  }
}

function unknownUser(): ServiceError {
  return new ServiceError('unknown_user', 'No user found for the given X-User-Hash header');
}

/** 1.x's words for a known user without this entry. */
function noSuchEntry(): ServiceError {
  return new ServiceError('not_found', 'No TOTP found for the given user with this enc_secret');
}

function toWire(entry: V1Entry): V1StoredTotp {
  return { enc_secret: entry.encSecret, name: entry.name };
}
