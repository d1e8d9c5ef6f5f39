import { describeKind } from '../../core/formats/entry-kind.js';
import type { CommandContext } from '../command-context.js';
import { printSecrets, type ListOptions } from '../output/secret-list.js';
import { entryFields } from '../vault/vault-entry.js';
import { loadVault } from '../vault/vault-store.js';
import { addListOptions, type CliCommand, type ListFlags } from './command-module.js';

export const command = {
  description: 'list the stored secrets (masked unless -s)',
  examples: ['open2fa list', 'open2fa list --json'],
  options: addListOptions,
  run: (context, options: ListFlags) =>
    runList(context, { secrets: options.secrets || options.secret === true, json: options.json }),
} satisfies CliCommand;

/**
 * `open2fa list`: names and (masked) secrets, sorted by name. Deliberately light (no crypto, no
 * TOTP): it is the command people run most, and it must start fast.
 */
async function runList(context: CommandContext, options: ListOptions): Promise<void> {
  const vault = await loadVault(context.vaultDir());
  const listed = vault.entries.map((entry) => ({
    name: entry.name,
    secret: entry.secret,
    kind: describeKind(entry),
    fields: entryFields({ ...entry, raw: {} }),
  }));
  printSecrets(context, listed, options, 'No secrets stored yet. Add one with: open2fa add SECRET NAME\n');
}
