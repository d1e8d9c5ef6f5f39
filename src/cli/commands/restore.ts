import type { CommandContext } from '../command-context.js';
import { CliError } from '../cli-error.js';
import { displayName } from '../output/text-format.js';
import { loadTrash, saveTrash, type TrashItem } from '../vault/trash-file.js';
import { loadVault, newEntry, saveVault } from '../vault/vault-store.js';
import type { CliCommand } from './command-module.js';

export const command = {
  description: 'put an entry of `open2fa trash` back in the vault (the next push uploads it)',
  examples: ['open2fa restore GitHub', 'open2fa restore 2'],
  options: (command) => command.argument('<name>', 'the name (any case), or the number `open2fa trash` shows'),
  run: (context, name: string) => runRestore(context, name),
} satisfies CliCommand;

/**
 * `open2fa restore NAME`: moves the most recently removed entry of that name (or that number in
 * `open2fa trash`) from the trash to the vault, under the vault lock. Not in sync state, it is a
 * new entry for sync: the next `remote push` uploads it.
 */
async function runRestore(context: CommandContext, target: string): Promise<void> {
  const dir = context.vaultDir();
  await context.lockVault(dir, async () => {
    const items = await loadTrash(dir, context.deps.now());
    const index = pick(items, target);
    const item = items[index];
    if (item === undefined) {
      throw new CliError('not_found', `nothing named ${JSON.stringify(target)} in the trash (see \`open2fa trash\`)`);
    }
    const vault = await loadVault(dir);
    const { secret, name, ...parts } = item.entry;
    const present = vault.entries.some((entry) => entry.secret === secret && entry.name === name);
    // The vault first: a crash between the two writes leaves the entry in both, never in neither.
    if (!present) await saveVault(dir, { ...vault, entries: [...vault.entries, newEntry(secret, name, parts)] });
    await saveTrash(
      dir,
      items.filter((_, other) => other !== index),
    );
    context.out(
      present
        ? `${displayName(name)} is already in the vault; removed it from the trash.\n`
        : `Restored ${displayName(name)}; \`open2fa remote push\` uploads it again.\n`,
    );
  });
}

/** The index of the entry `target` names: the latest with that name (any case), else a 1-based number. */
function pick(items: readonly TrashItem[], target: string): number {
  const wanted = target.toLowerCase();
  for (let index = items.length - 1; index >= 0; index--) {
    if (items[index]?.entry.name?.toLowerCase() === wanted) return index;
  }
  return /^[1-9]\d{0,5}$/.test(target) ? Number(target) - 1 : -1;
}
