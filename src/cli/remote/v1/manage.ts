import { CliError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import type { RemoteCounts } from '../../output/info-report.js';
import { printSecrets, type ListOptions } from '../../output/secret-list.js';
import { describeTarget, matchEntries, type EntryTarget } from '../../vault/entry-match.js';
import { checkSecret, isValidSecret } from '../../vault/secret-rules.js';
import { loadVault, newEntry, type SecretEntry } from '../../vault/vault-store.js';
import { decryptFailure, openV1List, warnFailures } from '../legacy-v1-entries.js';
import { encryptEntries, openV1Session } from './session.js';

/** `open2fa remote list` (v1): what the server holds for this ID, decrypted here; nothing is saved. */
export async function list(context: CommandContext, options: ListOptions): Promise<void> {
  const session = await openV1Session(context);
  const remote = (await session.client.list()) ?? [];
  const { secrets, failures } = await openV1List(session.key, remote);
  warnFailures(context, failures);
  printSecrets(context, secrets, options, 'No secrets are stored remotely for this Open2FA ID.\n');
  if (failures.length > 0) throw decryptFailure(failures);
}

/** `open2fa remote info` (v1): how many entries the server holds for this ID. */
export async function info(context: CommandContext): Promise<RemoteCounts> {
  const session = await openV1Session(context);
  const remote = await session.client.list();
  return { remoteSecrets: remote?.length ?? 0 };
}

/**
 * `open2fa remote delete` (v1): deletes the remote copies of the matching local secrets (or of the
 * given secret, even if it is not stored locally). The local copies stay, as in 1.x.
 */
export async function remove(context: CommandContext, target: EntryTarget): Promise<void> {
  const session = await openV1Session(context);
  const vault = await loadVault(session.dir);
  const targets = deletionTargets(vault.entries, target);
  const answer = await session.client.delete(await encryptEntries(session.key, targets));
  const deleted = answer?.deleted ?? 0;
  context.out(`Deleted ${String(deleted)} secret(s) from remote.\n`);
  context.out('The local copy is kept; remove it with `open2fa delete` if you want it gone here too.\n');
}

function deletionTargets(entries: readonly SecretEntry[], target: EntryTarget): SecretEntry[] {
  const local = matchEntries(entries, target);
  if (local.length > 0) return local;
  // Not stored here: the ciphertext is deterministic, so the typed secret alone finds the remote copy.
  if (target.secret !== undefined) return [newEntry(checkSecret(target.secret), null)];
  if (target.either !== undefined && isValidSecret(target.either)) return [newEntry(checkSecret(target.either), null)];
  throw new CliError('not_found', `no local secret matches ${describeTarget(target)}; nothing deleted`);
}

/**
 * `open2fa remote migrate` under v1: refused. Migrating moves the v1 entries into v2 items and
 * removes the v1 copies that 1.x clients read, which contradicts a configuration that asks for v1.
 */
export function migrate(): Promise<void> {
  return Promise.reject(
    new CliError(
      'usage',
      'remote migrate moves v1 entries into protocol v2 items, but OPEN2FA_PROTOCOL=v1 is set: unset it to migrate',
    ),
  );
}
