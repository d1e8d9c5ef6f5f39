import type { CommandContext } from './command-context.js';
import { printSecrets } from './list-command.js';
import { remoteProtocol } from './remote-protocol.js';
import { decryptEntries, decryptFailure, encryptEntries, openRemoteSession, warnFailures } from './remote-session.js';
import { addMissingSecrets, loadVault } from './vault-store.js';

/** `open2fa remote push` (v1 unless v2, the default): uploads every local secret, encrypted; the server upserts by ciphertext. */
export async function runPush(context: CommandContext): Promise<void> {
  if (remoteProtocol(context) === 'v2') {
    const { runPushV2 } = await import('./v2-sync-commands.js');
    await runPushV2(context);
    return;
  }
  const session = await openRemoteSession(context);
  const vault = await loadVault(session.dir);
  const answer = await session.client.push(await encryptEntries(session.key, vault.entries));
  const pushed = vault.entries.length;
  context.out(
    `Pushed ${String(pushed)} secret(s) to ${session.client.url}; ${String(answer.totps.length)} stored remotely.\n`,
  );
}

/**
 * `open2fa remote pull`: adds the remote secrets that are not stored locally yet (the same secret,
 * whatever its name). Entries that do not decrypt are reported and make the command end with exit 1.
 */
export async function runPull(context: CommandContext): Promise<void> {
  if (remoteProtocol(context) === 'v2') {
    const { runPullV2 } = await import('./v2-sync-commands.js');
    await runPullV2(context);
    return;
  }
  const session = await openRemoteSession(context);
  const remote = await session.client.list();
  if (remote === null) {
    context.out('Nothing is stored remotely for this Open2FA ID yet; push from another device first.\n');
    return;
  }
  const { secrets, failures } = await decryptEntries(session.key, remote);
  warnFailures(context, failures);
  const added = await addMissingSecrets(context, session.dir, secrets);
  const already = secrets.length - added;
  context.out(`Pulled ${String(added)} new secret(s) from remote; ${String(already)} already stored locally.\n`);
  if (failures.length > 0) throw decryptFailure(failures);
}

export interface RemoteListOptions {
  readonly secrets: boolean;
  readonly json: boolean;
}

/** `open2fa remote list`: what the server holds for this ID, decrypted here; nothing is saved. */
export async function runRemoteList(context: CommandContext, options: RemoteListOptions): Promise<void> {
  if (remoteProtocol(context) === 'v2') {
    const { runRemoteListV2 } = await import('./v2-manage-commands.js');
    await runRemoteListV2(context, options);
    return;
  }
  const session = await openRemoteSession(context);
  const remote = (await session.client.list()) ?? [];
  const { secrets, failures } = await decryptEntries(session.key, remote);
  warnFailures(context, failures);
  printSecrets(context, secrets, options, 'No secrets are stored remotely for this Open2FA ID.\n');
  if (failures.length > 0) throw decryptFailure(failures);
}
