import { unwrap } from '../http/http-errors.js';
import { CliError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import { loadSyncState, saveSyncState } from '../../vault/sync-state-file.js';
import { addToTrash } from '../../vault/trash-file.js';
import { displayName } from '../../output/text-format.js';
import { loadVault, saveVault, type SecretEntry, type Vault } from '../../vault/vault-store.js';
import { decryptFailure, warnFailures } from '../legacy-v1-entries.js';
import { mirrorToV1, prepareMixed, pullFromV1, readV1Copies, type MirrorReport } from './mixed-sync.js';
import { entryOf, integrityFailure, openV2Session, printWarnings, storedEntry, type V2Session } from './session.js';
import { runV2Sync, type SyncRunResult } from '../../../core/v2/sync/run.js';

/**
 * `open2fa remote push` (v2): merges the remote changes first, then sends this device's additions,
 * edits (renames) and deletions with the revision they are based on; a 409 starts another round.
 */
export async function push(context: CommandContext): Promise<void> {
  const session = await openV2Session(context);
  const v1 = await readV1Copies(session);
  const prepared = v1 === null ? null : await prepareMixed(context, session, v1);
  const result = await sync(context, session, true);
  const { puts, deletes } = result.sent;
  context.out(
    `Pushed ${String(puts)} change(s) and ${String(deletes)} deletion(s) to ${session.client.url}; ` +
      `${describeMerge(result)}.\n`,
  );
  reportRemoved(context, result);
  // An erased account (rotated or deleted elsewhere) gets nothing from this device, in v1 either.
  if (v1 !== null && prepared !== null && !isErased(result)) {
    reportRenamed(context, prepared.renamed);
    reportMirror(context, await mirrorToV1(context, session, v1, prepared.known));
  }
  finish(result);
}

/**
 * On a mixed account (v1 entries on the server: 1.x clients use it), says how the v1 copies were
 * kept in step: what this device pushes reaches 1.x clients, until `remote migrate`.
 */
function reportMirror(context: CommandContext, report: MirrorReport): void {
  const kept =
    report.v2Only > 0
      ? `; ${String(report.v2Only)} that 1.x cannot use (not 6-digit SHA-1 TOTP every 30 s) kept in v2 only`
      : '';
  context.out(
    `This account still has v1 entries (open2fa 1.x clients use it): ${String(report.mirrored)} secret(s) ` +
      `in v1 too (${String(report.written)} written, ${String(report.deleted)} removed)${kept}.\n`,
  );
}

function reportRenamed(context: CommandContext, renamed: number): void {
  if (renamed > 0) context.out(`Took ${String(renamed)} rename(s) made by open2fa 1.x clients.\n`);
}

/**
 * `open2fa remote pull` (v2): merges the remote v2 changes (nothing is sent), then adds the v1
 * entries whose secret is not stored here yet, as 1.x did.
 */
export async function pull(context: CommandContext): Promise<void> {
  const session = await openV2Session(context);
  const { result, added, renamed, failures } = await pullBoth(context, session);
  warnFailures(context, failures);
  const fromV1 = added > 0 ? `; ${String(added)} new from v1 entries` : '';
  context.out(`Pulled from ${session.client.url}: ${describeMerge(result)}${fromV1}.\n`);
  reportRemoved(context, result);
  reportRenamed(context, renamed);
  finish(result);
  if (failures.length > 0) throw decryptFailure(failures);
}

/**
 * Merges the remote v2 changes (nothing is sent), then, on a mixed account, takes what 1.x clients
 * added or renamed. Answers the merge, the number of v1 entries added and renamed, and the names of
 * the v1 entries that did not decrypt (for the caller to report).
 */
export async function pullBoth(
  context: CommandContext,
  session: V2Session,
): Promise<{ result: SyncRunResult; added: number; renamed: number; failures: readonly string[] }> {
  const v1 = await readV1Copies(session);
  const prepared = v1 === null ? null : await prepareMixed(context, session, v1);
  const result = await sync(context, session, false);
  if (v1 === null || prepared === null || isErased(result)) return { result, added: 0, renamed: 0, failures: [] };
  const added = await pullFromV1(context, session, v1, prepared.known);
  return { result, added, renamed: prepared.renamed, failures: v1.failures };
}

/** Under the vault lock from first read to last write: the merge is saved over the file it was made from. */
export async function sync(context: CommandContext, session: V2Session, push: boolean): Promise<SyncRunResult> {
  return context.lockVault(session.dir, () => syncLocked(context, session, push));
}

async function syncLocked(context: CommandContext, session: V2Session, push: boolean): Promise<SyncRunResult> {
  const vault = await loadVault(session.dir);
  const state = await loadSyncState(session.dir, session.account);
  const result = unwrap(await runV2Sync(session.transport, vault.entries.map(entryOf), state, { push }));
  printWarnings(context, result.warnings);
  // The vault first: a state that names items missing from the vault would read as local deletions.
  const entries = result.entries.map((synced) =>
    synced.from === null ? storedEntry(synced.entry) : (vault.entries[synced.from] ?? storedEntry(synced.entry)),
  );
  // The trash first: an entry leaves the vault only once a copy of it is safe (`open2fa restore`).
  await addToTrash(session.dir, result.removed, 'deleted on another device', context.deps.now());
  if (changed(vault, entries)) await saveVault(session.dir, { ...vault, entries });
  await saveSyncState(session.dir, session.account, result.state);
  return result;
}

function changed(vault: Vault, entries: readonly SecretEntry[]): boolean {
  return entries.length !== vault.entries.length || entries.some((entry, index) => entry !== vault.entries[index]);
}

function describeMerge(result: SyncRunResult): string {
  const { added, updated, removed, conflicts } = result.summary;
  const conflict = conflicts > 0 ? `, ${String(conflicts)} conflict(s) kept as "… (conflict)"` : '';
  return `${String(added)} new, ${String(updated)} updated, ${String(removed)} removed here${conflict}`;
}

/** Names each entry the sync removed here, and how to bring it back. */
function reportRemoved(context: CommandContext, result: SyncRunResult): void {
  for (const entry of result.removed) {
    const name = displayName(entry.name);
    const restore = entry.name === null ? '`open2fa trash` lists it' : `\`open2fa restore ${name}\` brings it back`;
    context.out(`removed here: ${name} (deleted on another device; ${restore})\n`);
  }
}

/** The server holds nothing for an account this device synced (`looksErased`): merge nothing, send nothing. */
function isErased(result: SyncRunResult): boolean {
  return result.warnings.some((warning) => warning.code === 'erased');
}

/** Ends a sync: integrity failures and an incomplete push are failures (exit 1). */
export function finish(result: SyncRunResult): void {
  // Failed envelopes, and changes only a server could have made (an unsealed deletion): exit 1.
  if (isErased(result)) {
    throw new CliError('account_erased', 'the account is empty on the server (see the warning); nothing was changed');
  }
  const untrusted = result.warnings.filter((warning) => warning.code === 'integrity').length;
  if (untrusted > 0) throw integrityFailure(Math.max(untrusted, result.integrityFailures));
  if (!result.complete) {
    throw new CliError('sync_incomplete', 'the remote items kept changing during the push; run it again');
  }
}
