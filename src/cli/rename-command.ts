import type { CommandContext } from './command-context.js';
import { CliError } from './cli-error.js';
import { selectOne } from './entry-match.js';
import { checkName } from './secret-rules.js';
import { displayName } from './text-format.js';
import { withCommandLock } from './vault-lock.js';
import { loadVault, renameEntry, saveVault } from './vault-store.js';

/**
 * `open2fa rename OLD NEW`: OLD is a name (exact, then case-insensitive, then a unique part of it)
 * or the secret itself, which tells apart entries that share a name.
 */
export async function runRename(context: CommandContext, oldName: string, newName: string): Promise<void> {
  const name = checkName(newName);
  if (name === null) throw new CliError('invalid_name', 'the new name is empty');
  const dir = context.vaultDir();
  await withCommandLock(context, dir, async () => {
    const vault = await loadVault(dir);
    const target = selectOne(vault.entries, oldName);
    const entries = vault.entries.map((entry) => (entry === target ? renameEntry(entry, name) : entry));
    await saveVault(dir, { ...vault, entries });
    context.out(`Renamed ${displayName(target.name)} to ${displayName(name)}.\n`);
  });
}
