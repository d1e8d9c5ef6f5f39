import type { Entry } from '../../core/entry/model.js';
import { encryptV1 } from '../../core/v1/cipher.js';
import type { V1StoredTotp, V1Totp } from '../../core/v1/wire.js';
import { DEFAULT_PERIOD, MIN_DIGITS } from '../../core/otp/parameters.js';
import type { V1RemoteClient } from './http/v1-client.js';
import type { MirrorWrite } from './v1-mirror-plan.js';

// How an account that 1.x clients still use is kept readable by them. Both protocol folders use
// this module; neither imports the other.

/**
 * The mode of an account under the default protocol (v2):
 * - `mixed`: the server holds v1 entries, so 1.x clients still use the account: push and pull keep
 *   one v1 copy of every entry 1.x can use, added, renamed and removed with the vault
 *   (`v2/mixed-sync.ts`), until `remote migrate`;
 * - `v2`: no v1 entry is left (never pushed by 1.x, or migrated): v2 only.
 */
export type AccountMode = 'mixed' | 'v2';

/** The mode, from the number of v1 entries the server holds for the ID. */
export function accountMode(v1Entries: number): AccountMode {
  return v1Entries > 0 ? 'mixed' : 'v2';
}

/** The sentence `remote info` prints for a mode. */
export function describeMode(mode: AccountMode, v1Entries: number): string {
  return mode === 'mixed'
    ? `mixed: the server holds ${String(v1Entries)} v1 ${v1Entries === 1 ? 'entry' : 'entries'} (open2fa 1.x ` +
        'clients use this account), so `remote push` keeps a v1 copy of each secret 1.x can use, added, renamed ' +
        'and deleted with this device, until `remote migrate`'
    : 'v2: the server holds no v1 entry, so `remote push` writes protocol v2 only';
}

/**
 * `true` when open2fa 1.x computes the right codes for the entry: it reads only `secret` and `name`
 * and always makes 6-digit TOTP codes with SHA-1 every 30 s. Other entries (HOTP, Steam, SHA-256,
 * 8 digits, another period) are never written to v1, where 1.x would show wrong codes.
 */
export function usableBy1x(entry: Entry): boolean {
  return (
    entry.type === 'totp' &&
    entry.algorithm === 'SHA1' &&
    entry.digits === MIN_DIGITS &&
    entry.period === DEFAULT_PERIOD
  );
}

/** The v1 wire form of entries: deterministic ciphertexts, names in clear as 1.x sent them. */
export function encryptV1Entries(
  key: Uint8Array<ArrayBuffer>,
  entries: readonly Pick<Entry, 'secret' | 'name'>[],
): Promise<V1Totp[]> {
  return Promise.all(
    entries.map(async (entry) => ({ enc_secret: await encryptV1(key, entry.secret), name: entry.name })),
  );
}

/** The v1 upserts of a mirror plan: a copy's own `enc_secret` (a rename), or the secret encrypted (a new copy). */
export function encryptV1Writes(key: Uint8Array<ArrayBuffer>, writes: readonly MirrorWrite[]): Promise<V1Totp[]> {
  return Promise.all(
    writes.map(async (write) => ({
      enc_secret: write.encSecret ?? (await encryptV1(key, write.secret)),
      name: write.name,
    })),
  );
}

/** The v1 entries, or none when the server does not know the ID. */
export async function listV1(client: V1RemoteClient): Promise<V1StoredTotp[]> {
  return (await client.list()) ?? [];
}
