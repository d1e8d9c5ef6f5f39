import type { CommandContext } from '../command-context.js';
import { CliError } from '../cli-error.js';
import { describeTarget, matchEntries, requireTarget, type EntryTarget } from '../vault/entry-match.js';
import { displayName, maskSecret } from '../output/text-format.js';
import { loadVault, saveVault, type SecretEntry } from '../vault/vault-store.js';
import type { CliCommand } from './command-module.js';

export const command = {
  description: 'delete local secrets by name, issuer or account (any case) or by secret (asks first unless -f)',
  examples: ['open2fa delete -n GitHub', 'open2fa delete -s JBSWY3DPEHPK3PXP -f'],
  options: (command) =>
    command
      .argument('[target]', 'a name or a secret')
      .option('-n, --name <name>', 'the whole name, issuer or account, in any case')
      .option('-s, --secret <secret>', 'the secret')
      .option('-f, --force', 'do not ask for confirmation', false),
  run: (context, either: string | undefined, options: { name?: string; secret?: string; force: boolean }) =>
    runDelete(context, { ...options, either }),
} satisfies CliCommand;

export interface DeleteOptions extends EntryTarget {
  readonly force: boolean;
}

/**
 * `open2fa delete`: removes every entry with that exact name or that secret, after a (y/n) question
 * per entry unless `-f`. Without a terminal there is nobody to ask, so `-f` is required then.
 */
async function runDelete(context: CommandContext, options: DeleteOptions): Promise<void> {
  requireTarget(options);
  const dir = context.vaultDir();
  const vault = await loadVault(dir);
  const matches = matchEntries(vault.entries, options);
  if (matches.length === 0) {
    throw new CliError('not_found', `no stored secret matches ${describeTarget(options)}; nothing deleted`);
  }
  const doomed = options.force ? matches : await confirmEach(context, matches);
  const deleted =
    doomed.length === 0
      ? 0
      : await context.lockVault(dir, async () => {
          // The questions were asked without the lock; the file is read again so that what another
          // command changed meanwhile is kept, and only the confirmed entries go.
          const current = await loadVault(dir);
          // One entry goes per confirmation: of two identical entries, confirming one keeps the other.
          const unmatched = [...doomed];
          const entries = current.entries.filter((entry) => {
            const index = unmatched.findIndex((gone) => sameStored(gone, entry));
            if (index === -1) return true;
            unmatched.splice(index, 1);
            return false;
          });
          if (entries.length < current.entries.length) await saveVault(dir, { ...current, entries });
          return current.entries.length - entries.length;
        });
  context.out(`Deleted ${String(deleted)} secret(s).\n`);
}

/** The same stored entry in another reading of the file (an HOTP counter may have moved on). */
function sameStored(a: SecretEntry, b: SecretEntry): boolean {
  return a.secret === b.secret && a.name === b.name;
}

async function confirmEach(context: CommandContext, matches: readonly SecretEntry[]): Promise<SecretEntry[]> {
  if (!context.deps.stdinIsTTY) {
    throw new CliError('confirmation_required', 'stdin is not a terminal, so nobody can confirm: add -f to delete');
  }
  const prompter = await context.prompter();
  const confirmed: SecretEntry[] = [];
  for (const entry of matches) {
    const question = `Are you sure you want to remove ${displayName(entry.name)} ${maskSecret(entry.secret)}?`;
    if (await prompter.confirm(question)) confirmed.push(entry);
  }
  return confirmed;
}
