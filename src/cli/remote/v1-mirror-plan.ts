import type { V1StoredTotp } from '../../core/v1/wire.js';
import type { KnownCopies, KnownCopy } from '../vault/v1-copies-file.js';
import { readableBy1x } from '../vault/secret-rules.js';

// How a mixed account's v1 copies follow this device's vault (issue #16), as pure functions: the
// caller reads the vault, the v1 list and what this device knew (`v1-copies.json`), and carries
// out the plan, writes before deletes, so an interruption never leaves a secret with no v1 copy.

/** A vault entry, with its `secretFingerprint` and whether 1.x computes its codes (`usableBy1x`). */
export interface LocalCopy {
  readonly secret: string;
  readonly name: string | null;
  readonly fingerprint: string;
  readonly usable: boolean;
}

/** A v1 entry on the server, decrypted, with the `secretFingerprint` of its secret. */
export interface RemoteCopy {
  readonly totp: V1StoredTotp;
  readonly secret: string;
  readonly fingerprint: string;
}

/** A v1 upsert: the copy's existing `enc_secret` (a rename), or `null` to encrypt `secret` (a new copy). */
export interface MirrorWrite {
  readonly encSecret: string | null;
  readonly secret: string;
  readonly name: string | null;
}

export interface MirrorPlan {
  readonly writes: readonly MirrorWrite[];
  /** Copies to delete, once the writes are done: other spellings of a kept secret, and what this device removed. */
  readonly deletes: readonly V1StoredTotp[];
  /** Entries 1.x cannot use (HOTP, Steam, not 6-digit SHA-1 every 30 s): no v1 copy. */
  readonly v2Only: number;
  /** What to remember once the plan is carried out. */
  readonly known: KnownCopies;
}

/**
 * What this device held before a sync: `known`, plus the secrets of the vault and of the v2 sync
 * state (an entry deleted here since the last sync is in the state only). Saved before the v2 sync,
 * so a push interrupted after its v2 deletion still removes the v1 copy when run again.
 */
export function heldBefore(known: KnownCopies, held: readonly Pick<LocalCopy, 'fingerprint' | 'name'>[]): KnownCopies {
  const result: Record<string, KnownCopy> = { ...known };
  for (const { fingerprint, name } of held) result[fingerprint] ??= { name, mirrored: false };
  return result;
}

/**
 * The names a 1.x client changed: a local entry still under the name it had at the last sync, whose
 * v1 copy now has another name (1.x renames by delete, add and push, which upserts the copy). A name
 * changed on both sides keeps the local one. Answers the vault index → the new name.
 */
export function renamesFrom1x(
  local: readonly LocalCopy[],
  remote: readonly RemoteCopy[],
  known: KnownCopies,
): Map<number, string | null> {
  const renames = new Map<number, string | null>();
  const seen = new Set<string>();
  local.forEach((entry, index) => {
    if (seen.has(entry.fingerprint)) return;
    seen.add(entry.fingerprint);
    const base = known[entry.fingerprint];
    if (base?.mirrored !== true || entry.name !== base.name) return;
    const copies = remote.filter((copy) => copy.fingerprint === entry.fingerprint);
    const first = copies[0];
    if (first === undefined || copies.some((copy) => copy.totp.name === base.name)) return;
    renames.set(index, first.totp.name);
  });
  return renames;
}

/**
 * The v1 writes and deletes that make the copies match the vault: one copy per secret 1.x can use,
 * under the local name, in the spelling v1 already holds when 1.x reads it (a 1.x device then keeps
 * matching it). A copy goes when it is another spelling of a kept secret, when this device mirrored
 * it before and its entry is no longer one 1.x can use, or when this device held the secret and
 * deleted it. A copy this device never held came from a 1.x client: it stays, for `remote pull`.
 */
export function planMirror(local: readonly LocalCopy[], remote: readonly RemoteCopy[], known: KnownCopies): MirrorPlan {
  const after: Record<string, KnownCopy> = {};
  const chosen = new Set<RemoteCopy>();
  const writes: MirrorWrite[] = [];
  let v2Only = 0;
  for (const entry of local) {
    // A second local entry with the same secret: v1 holds one copy per secret, under the first name.
    if (after[entry.fingerprint] !== undefined) continue;
    after[entry.fingerprint] = { name: entry.name, mirrored: entry.usable };
    if (!entry.usable) {
      v2Only++;
      continue;
    }
    const copies = remote.filter((copy) => copy.fingerprint === entry.fingerprint && !chosen.has(copy));
    const copy = copies.find((c) => c.secret === entry.secret) ?? copies.find((c) => readableBy1x(c.secret));
    if (copy === undefined) {
      writes.push({ encSecret: null, secret: entry.secret, name: entry.name });
      continue;
    }
    chosen.add(copy);
    if (copy.totp.name !== entry.name)
      writes.push({ encSecret: copy.totp.enc_secret, secret: entry.secret, name: entry.name });
  }
  const deletes = remote
    .filter((copy) => !chosen.has(copy) && doomed(copy.fingerprint, after, known))
    .map((copy) => copy.totp);
  return { writes, deletes, v2Only, known: after };
}

function doomed(fingerprint: string, after: KnownCopies, known: KnownCopies): boolean {
  const now = after[fingerprint];
  if (now?.mirrored === true) return true; // another spelling of a secret whose copy is kept
  const before = known[fingerprint];
  if (before === undefined) return false; // never held here: a 1.x client added it
  return now === undefined || before.mirrored; // deleted here, or no longer a TOTP 1.x can use
}

/**
 * The v1 copies `remote pull` leaves on the server without adding them here: this device held
 * their secret and no longer does (deleted here, or on another device), so the next push removes them.
 */
export function pendingDeletion(copy: RemoteCopy, local: readonly LocalCopy[], known: KnownCopies): boolean {
  return known[copy.fingerprint] !== undefined && !local.some((entry) => entry.fingerprint === copy.fingerprint);
}
