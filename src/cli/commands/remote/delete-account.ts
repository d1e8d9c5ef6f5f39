import { deriveV2Keys } from '../../../core/v2/keys.js';
import { EMPTY_SYNC_STATE } from '../../../core/v2/sync/types.js';
import { CliError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import { printable } from '../../output/text-format.js';
import { eraseAccount } from '../../remote/account-erase.js';
import { openRemoteAccount } from '../../remote/remote-account.js';
import { v2ApiUrl } from '../../remote/v2/session.js';
import { saveSyncState, syncAccountKey } from '../../vault/sync-state-file.js';
import { saveKnownCopies } from '../../vault/v1-copies-file.js';
import type { CliCommand } from '../command-module.js';

export const command = {
  description: 'erase this account on the server, v1 and v2 (the local vault stays); asks first unless --yes',
  examples: ['open2fa remote delete-account', 'open2fa remote delete-account --yes'],
  options: (command) => command.option('-y, --yes', 'do not ask for confirmation', false),
  run: (context, options: { yes: boolean }) => runDeleteAccount(context, options.yes),
} satisfies CliCommand;

/**
 * `open2fa remote delete-account`: every row the server holds for this UUID goes (v2 items and
 * tombstones, v1 entries, the user rows); this device's sync state for the account is reset so that
 * the next push starts a new account instead of reporting a rollback.
 */
async function runDeleteAccount(context: CommandContext, yes: boolean): Promise<void> {
  const { apiUrl, credentials, dir } = await openRemoteAccount(context);
  const where = printable(new URL(apiUrl).origin);
  if (!yes) await confirm(context, `Erase every secret of this account on ${where}, for every device?`);
  const keys = await deriveV2Keys(credentials.key);
  const erased = await eraseAccount(context, { apiUrl, id: credentials.id, authToken: keys.authToken });
  const account = syncAccountKey(v2ApiUrl(apiUrl), credentials.id);
  await context.lockVault(dir, async () => {
    await saveSyncState(dir, account, EMPTY_SYNC_STATE);
    // No v1 copy is left: what this device knew of them would only mislead a later mixed account.
    await saveKnownCopies(dir, account, {});
  });
  context.out(
    `Erased the account on ${where}: ${String(erased.v2 ?? 0)} v2 item(s) and ${String(erased.v1 ?? 0)} v1 ` +
      'entr(ies); the secrets on this device are untouched.\n',
  );
}

async function confirm(context: CommandContext, question: string): Promise<void> {
  if (!context.deps.stdinIsTTY) {
    throw new CliError('confirmation_required', 'stdin is not a terminal, so nobody can confirm: add --yes');
  }
  const prompter = await context.prompter();
  if (!(await prompter.confirm(question))) throw new CliError('cancelled', 'nothing was erased');
}
