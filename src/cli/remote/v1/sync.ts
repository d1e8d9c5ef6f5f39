import type { CommandContext } from '../../command-context.js';
import { addMissingSecrets, loadVault } from '../../vault/vault-store.js';
import { decryptFailure, openV1List, warnFailures } from '../legacy-v1-entries.js';
import { encryptEntries, openV1Session } from './session.js';

/** `open2fa remote push` (v1): uploads every local secret, encrypted; the server upserts by ciphertext. */
export async function push(context: CommandContext): Promise<void> {
  const session = await openV1Session(context);
  const vault = await loadVault(session.dir);
  const answer = await session.client.push(await encryptEntries(session.key, vault.entries));
  const pushed = vault.entries.length;
  context.out(
    `Pushed ${String(pushed)} secret(s) to ${session.client.url}; ${String(answer.totps.length)} stored remotely.\n`,
  );
}

/**
 * `open2fa remote pull` (v1): adds the remote secrets that are not stored locally yet (the same
 * secret, whatever its name). Entries that do not decrypt are reported and make the command end
 * with exit 1.
 */
export async function pull(context: CommandContext): Promise<void> {
  const session = await openV1Session(context);
  const remote = await session.client.list();
  if (remote === null) {
    context.out('Nothing is stored remotely for this Open2FA ID yet; push from another device first.\n');
    return;
  }
  const { secrets, failures } = await openV1List(session.key, remote);
  warnFailures(context, failures);
  const added = await addMissingSecrets(context.lockVault, session.dir, secrets);
  const already = secrets.length - added;
  context.out(`Pulled ${String(added)} new secret(s) from remote; ${String(already)} already stored locally.\n`);
  if (failures.length > 0) throw decryptFailure(failures);
}
