import { randomUuid } from '../core/uuid.js';
import type { CommandContext } from './command-context.js';
import { CliError } from './cli-error.js';
import { describeTarget, matchEntries, requireTarget, type EntryTarget } from './entry-match.js';
import { collectInfo, printInfo, type InfoOptions } from './info-command.js';
import { remoteProtocol } from './remote-protocol.js';
import { encryptEntries, openRemoteSession } from './remote-session.js';
import { checkSecret, isValidSecret } from './secret-rules.js';
import { createUuidFile, resolveUuid, UUID_FILE } from './uuid-file.js';
import { loadVault, newEntry, type SecretEntry } from './vault-store.js';

/**
 * `open2fa remote init`: creates `open2fa.uuid` unless a UUID exists. Asks first on a terminal, as
 * 1.x did; without one (scripts) it proceeds, since creating a missing UUID file destroys nothing.
 */
export async function runRemoteInit(context: CommandContext, options: { readonly yes: boolean }): Promise<void> {
  const dir = context.vaultDir();
  const existing = await resolveUuid(context.deps.env, dir);
  if (existing !== null) {
    const where = existing.from === 'env' ? 'OPEN2FA_UUID is set' : `found ${dir}/${UUID_FILE}`;
    context.out(`Open2FA is already initialized with a UUID (${where}).\n`);
    return;
  }
  if (!options.yes && context.deps.stdinIsTTY) {
    const prompter = await context.prompter();
    if (!(await prompter.confirm('Do you want to initialize remote capabilities of Open2FA?'))) {
      context.out('Remote initialization cancelled.\n');
      return;
    }
  }
  const uuid = randomUuid();
  if (!(await createUuidFile(dir, uuid))) {
    context.out(`Open2FA is already initialized with a UUID (found ${dir}/${UUID_FILE}).\n`);
    return;
  }
  context.out(
    `\nRemote capabilities initialized with UUID: ${uuid}\n` +
      'It is recommended to save this UUID somewhere safe and use as an environment variable OPEN2FA_UUID.\n',
  );
}

/**
 * `open2fa remote delete`: deletes the remote copies of the matching local secrets (or of the given
 * secret, even if it is not stored locally). The local copies stay, as in 1.x.
 */
export async function runRemoteDelete(context: CommandContext, target: EntryTarget): Promise<void> {
  requireTarget(target);
  if (remoteProtocol(context) === 'v2') {
    const { runRemoteDeleteV2 } = await import('./v2-manage-commands.js');
    await runRemoteDeleteV2(context, target);
    return;
  }
  const session = await openRemoteSession(context);
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

/** `open2fa remote info`: the local facts plus how many entries the server holds for this ID. */
export async function runRemoteInfo(context: CommandContext, options: InfoOptions): Promise<void> {
  if (remoteProtocol(context) === 'v2') {
    const { runRemoteInfoV2 } = await import('./v2-manage-commands.js');
    await runRemoteInfoV2(context, options);
    return;
  }
  const session = await openRemoteSession(context);
  const info = await collectInfo(context, options.secrets);
  const remote = await session.client.list();
  printInfo(context, { ...info, remoteSecrets: remote?.length ?? 0 }, options);
}
