import type { CommandContext } from '../command-context.js';
import { CliError } from '../cli-error.js';
import { displayName, maskSecret } from '../output/text-format.js';
import { resolveNewSecret, type NewSecret } from '../vault/secret-input.js';
import { sameSecret } from '../vault/secret-rules.js';
import { loadVault, newEntry, saveVault } from '../vault/vault-store.js';
import type { CliCommand } from './command-module.js';

export const command = {
  description: 'store a secret (base32, or an otpauth://totp/ or otpauth://hotp/ URI); no arguments: asks, hidden',
  examples: [
    'open2fa add JBSWY3DPEHPK3PXP GitHub',
    "open2fa add 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP'",
  ],
  options: (command) =>
    command
      .argument('[secret]', 'the secret; the two arguments may come in either order')
      .argument('[name]', 'a name for it')
      .option('-n, --name <name>', 'a name for it (a positional name wins)'),
  run: (context, first: string | undefined, second: string | undefined, options: { name?: string }) =>
    runAdd(context, { first, second, name: options.name }),
} satisfies CliCommand;

export interface AddArguments {
  readonly first: string | undefined;
  readonly second: string | undefined;
  readonly name: string | undefined;
}

/**
 * `open2fa add`: checks the secret before touching the file, so an invalid one leaves
 * `secrets.json` unchanged. A secret that is already stored is not added twice (exit 0: the wanted
 * state holds).
 */
async function runAdd(context: CommandContext, args: AddArguments): Promise<void> {
  const input =
    args.first === undefined && args.second === undefined
      ? await promptNewSecret(context, args.name)
      : await resolveNewSecret(args.first, args.second, args.name);
  const dir = context.vaultDir();
  // Read after the prompt, under the lock: what another command stored meanwhile is kept.
  await context.lockVault(dir, async () => {
    const vault = await loadVault(dir);
    const existing = vault.entries.find((entry) => sameSecret(entry.secret, input.secret));
    if (existing !== undefined) {
      context.out(`This secret is already stored as ${displayName(existing.name)}; nothing added.\n`);
      return;
    }
    const entries = [...vault.entries, newEntry(input.secret, input.name, input.parts)];
    await saveVault(dir, { ...vault, entries });
    context.out(`Added ${displayName(input.name)} (${maskSecret(input.secret)}).\n`);
    context.out(`${String(entries.length)} ${entries.length === 1 ? 'secret' : 'secrets'} total.\n`);
  });
}

/** No arguments: ask, with the secret hidden on a terminal (it would stay in the shell history). */
async function promptNewSecret(context: CommandContext, nameOption: string | undefined): Promise<NewSecret> {
  const prompter = await context.prompter();
  const secret = await prompter.askHidden('Enter the TOTP secret: ');
  if (secret === null || secret.trim() === '') throw new CliError('usage', 'no secret given');
  const name = nameOption ?? (await prompter.ask('Enter the name of the secret: ')) ?? undefined;
  // The name goes in as the option, so a name that happens to be base32 is never taken for the secret.
  return resolveNewSecret(secret, undefined, name);
}
