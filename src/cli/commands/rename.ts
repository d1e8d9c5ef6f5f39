import type { CommandContext } from '../command-context.js';
import { CliError } from '../cli-error.js';
import { selectOne } from '../vault/entry-match.js';
import { checkName } from '../vault/secret-rules.js';
import { displayName } from '../output/text-format.js';
import { loadVault, renameEntry, saveVault } from '../vault/vault-store.js';
import type { CliCommand } from './command-module.js';

export const command = {
  description: 'rename a secret (OLD is a name, part of one, or the secret)',
  examples: ['open2fa rename GitHub "GitHub (work)"'],
  options: (command) => command.argument('<old>', 'the current name').argument('<new>', 'the new name'),
  run: (context, oldName: string, newName: string) => runRename(context, oldName, newName),
} satisfies CliCommand;

/**
 * `open2fa rename OLD NEW`: OLD is a name (exact, then case-insensitive, then a unique part of it)
 * or the secret itself, which tells apart entries that share a name.
 */
async function runRename(context: CommandContext, oldName: string, newName: string): Promise<void> {
  const name = checkName(newName);
  if (name === null) throw new CliError('invalid_name', 'the new name is empty');
  const dir = context.vaultDir();
  await context.lockVault(dir, async () => {
    const vault = await loadVault(dir);
    const target = selectOne(vault.entries, oldName);
    const entries = vault.entries.map((entry) => (entry === target ? renameEntry(entry, name) : entry));
    await saveVault(dir, { ...vault, entries });
    context.out(`Renamed ${displayName(target.name)} to ${displayName(name)}.\n`);
  });
}
