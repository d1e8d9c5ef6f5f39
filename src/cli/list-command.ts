import type { CommandContext } from './command-context.js';
import { formatTable } from './table-format.js';
import { compareNames, displayName, maskSecret, printable } from './text-format.js';
import { loadVault } from './vault-store.js';

export interface ListOptions {
  /** Show secrets uncensored. */
  readonly secrets: boolean;
  readonly json: boolean;
}

/** A secret as listed: what `list` and `remote list` print. */
export interface ListedSecret {
  readonly name: string | null;
  readonly secret: string;
}

/**
 * `open2fa list`: names and (masked) secrets, sorted by name. Deliberately light (no crypto, no
 * TOTP): it is the command people run most, and it must start fast.
 */
export async function runList(context: CommandContext, options: ListOptions): Promise<void> {
  const vault = await loadVault(context.vaultDir());
  printSecrets(context, vault.entries, options, 'No secrets stored yet. Add one with: open2fa add SECRET NAME\n');
}

/** Prints secrets as a table or JSON; shared with `remote list`. */
export function printSecrets(
  context: CommandContext,
  secrets: readonly ListedSecret[],
  options: ListOptions,
  emptyMessage: string,
): void {
  const sorted = [...secrets].sort((a, b) => compareNames(a.name, b.name));
  const shown = (secret: string): string => (options.secrets ? secret : maskSecret(secret));
  if (options.json) {
    const items = sorted.map((item) => ({ name: item.name, secret: shown(item.secret) }));
    context.out(`${JSON.stringify(items, null, 2)}\n`);
    return;
  }
  if (sorted.length === 0) {
    context.out(emptyMessage);
    return;
  }
  const rows = sorted.map((item) => [displayName(item.name), printable(shown(item.secret))]);
  context.out(formatTable(['Name', 'Secret'], rows));
}
