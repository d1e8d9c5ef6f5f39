import { secretFingerprint } from '../../../core/v2/sync/state.js';
import type { CommandContext } from '../../command-context.js';
import { checkName } from '../../vault/secret-rules.js';
import { loadSyncState } from '../../vault/sync-state-file.js';
import { loadKnownCopies, saveKnownCopies, type KnownCopies, type KnownCopy } from '../../vault/v1-copies-file.js';
import { addMissingSecrets, loadVault, renameEntry, saveVault, type SecretEntry } from '../../vault/vault-store.js';
import { openV1List } from '../legacy-v1-entries.js';
import { accountMode, encryptV1Writes, listV1, usableBy1x } from '../mixed-account.js';
import {
  heldBefore,
  pendingDeletion,
  planMirror,
  renamesFrom1x,
  type LocalCopy,
  type RemoteCopy,
} from '../v1-mirror-plan.js';
import type { V2Session } from './session.js';

// A mixed account (v1 entries on the server: 1.x clients use it) under protocol v2: push and pull
// keep the v1 copies in step with the vault (v1-mirror-plan.ts has the rules). Each step runs under
// the vault lock and remembers what it knew in `v1-copies.json` before it acts, so a command
// interrupted between its v2 and its v1 writes finishes the job when it runs again.

/** The account's v1 copies, decrypted here; `null` when it holds none (protocol v2 only). */
export interface V1Copies {
  readonly copies: readonly RemoteCopy[];
  /** Names of the entries that did not decrypt (left alone on the server). */
  readonly failures: readonly string[];
}

/** What `mirrorToV1` did, for the push's report. */
export interface MirrorReport {
  readonly mirrored: number;
  readonly written: number;
  readonly deleted: number;
  readonly v2Only: number;
}

/** Reads and decrypts the v1 entries; `null` when there are none, so the account is not mixed. */
export async function readV1Copies(session: V2Session): Promise<V1Copies | null> {
  const v1 = await listV1(session.v1Client);
  if (accountMode(v1.length) !== 'mixed') return null;
  const { secrets, failures } = await openV1List(session.v1Key, v1);
  const copies = await Promise.all(
    secrets.map(async ({ totp, secret }) => ({ totp, secret, fingerprint: await secretFingerprint(secret) })),
  );
  return { copies, failures };
}

/**
 * Before the v2 sync: remembers every secret this device holds (or held at its last sync) and takes
 * the renames 1.x clients made into the vault, so the v2 sync carries them to the other devices.
 * Answers the known copies the later steps work from, and how many entries were renamed.
 */
export async function prepareMixed(
  context: CommandContext,
  session: V2Session,
  v1: V1Copies,
): Promise<{ known: KnownCopies; renamed: number }> {
  return context.lockVault(session.dir, async () => {
    const [vault, state, known] = await Promise.all([
      loadVault(session.dir),
      loadSyncState(session.dir, session.account),
      loadKnownCopies(session.dir, session.account),
    ]);
    const local = await localCopies(vault.entries);
    const synced = Object.values(state.items).map((item) => ({ fingerprint: item.secret, name: null }));
    const before: Record<string, KnownCopy> = { ...heldBefore(known, [...local, ...synced]) };
    // A v1 name is anyone's who knows the Open2FA ID: one this CLI would refuse to store is not taken.
    const renames = new Map([...renamesFrom1x(local, v1.copies, before)].filter(([, name]) => storable(name)));
    if (renames.size > 0) {
      const entries = vault.entries.map((entry, index) => {
        const name = renames.get(index);
        const fingerprint = local[index]?.fingerprint;
        if (name === undefined || fingerprint === undefined) return entry;
        before[fingerprint] = { name, mirrored: true };
        return renameEntry(entry, name);
      });
      await saveVault(session.dir, { ...vault, entries });
    }
    await saveKnownCopies(session.dir, session.account, before);
    return { known: before, renamed: renames.size };
  });
}

/**
 * After the v2 sync of a push: writes the v1 copies the vault needs (new secrets, new names), then
 * deletes those it no longer wants (planMirror), then remembers the result. Writes come first: an
 * interruption leaves an extra copy for the next push to remove, never a secret without one.
 */
export async function mirrorToV1(
  context: CommandContext,
  session: V2Session,
  v1: V1Copies,
  known: KnownCopies,
): Promise<MirrorReport> {
  return context.lockVault(session.dir, async () => {
    const vault = await loadVault(session.dir);
    const plan = planMirror(await localCopies(vault.entries), v1.copies, known);
    const totps = await encryptV1Writes(session.v1Key, plan.writes);
    if (totps.length > 0) await session.v1Client.push(totps);
    if (plan.deletes.length > 0) await session.v1Client.delete(plan.deletes);
    await saveKnownCopies(session.dir, session.account, plan.known);
    const mirrored = Object.values(plan.known).filter((copy) => copy.mirrored).length;
    return { mirrored, written: totps.length, deleted: plan.deletes.length, v2Only: plan.v2Only };
  });
}

/**
 * After the v2 sync of a pull: adds the v1 entries whose secret is not stored here, except those
 * this device held and no longer does (deleted here or on another device: the next push removes
 * them), and remembers the copies that now agree with the vault. Answers how many were added.
 */
export async function pullFromV1(
  context: CommandContext,
  session: V2Session,
  v1: V1Copies,
  known: KnownCopies,
): Promise<number> {
  return context.lockVault(session.dir, async () => {
    const held = await localCopies((await loadVault(session.dir)).entries);
    const wanted = v1.copies
      .filter((copy) => !pendingDeletion(copy, held, known))
      .map(({ secret, totp }) => ({ secret, name: totp.name }));
    // The lock is already held: the add runs inside it.
    const added = await addMissingSecrets((_dir, work) => work(), session.dir, wanted);
    const local = await localCopies((await loadVault(session.dir)).entries);
    const after: Record<string, KnownCopy> = { ...known };
    for (const entry of local) {
      const agrees = v1.copies.some((copy) => copy.fingerprint === entry.fingerprint && copy.totp.name === entry.name);
      if (agrees && entry.usable) after[entry.fingerprint] = { name: entry.name, mirrored: true };
    }
    await saveKnownCopies(session.dir, session.account, after);
    return added;
  });
}

async function localCopies(entries: readonly SecretEntry[]): Promise<LocalCopy[]> {
  return Promise.all(
    entries.map(async (entry) => ({
      secret: entry.secret,
      name: entry.name,
      fingerprint: await secretFingerprint(entry.secret),
      usable: usableBy1x(entry),
    })),
  );
}

function storable(name: string | null): boolean {
  try {
    return checkName(name) === name;
  } catch {
    return false;
  }
}
