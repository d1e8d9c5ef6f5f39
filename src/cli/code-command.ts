import { totpCode } from '../core/otp.js';
import type { CommandContext } from './command-context.js';
import { CliError } from './cli-error.js';
import { copyToClipboard, DEFAULT_CLIPBOARD_COMMANDS } from './clipboard.js';
import { selectOne } from './entry-match.js';
import { isUsableSecret } from './secret-rules.js';
import { displayName } from './text-format.js';
import { loadVault } from './vault-store.js';

export interface CodeOptions {
  readonly query: string | undefined;
  readonly copy: boolean;
}

/**
 * `open2fa code NAME`: prints only the current code, for scripts. With `--copy` it also goes to the
 * clipboard; no clipboard is a warning, not a failure, since the code was still printed.
 */
export async function runCode(context: CommandContext, options: CodeOptions): Promise<void> {
  if (options.query === undefined) throw new CliError('usage', 'no name given: open2fa code NAME');
  const vault = await loadVault(context.vaultDir());
  const entry = selectOne(vault.entries, options.query);
  if (!isUsableSecret(entry.secret)) {
    throw new CliError('corrupt_file', `the stored secret of ${displayName(entry.name)} is not valid base32`);
  }
  const code = totpCode({ secret: entry.secret.trim() }, context.deps.now());
  context.out(`${code}\n`);
  if (!options.copy) return;
  const commands = context.deps.clipboardCommands ?? DEFAULT_CLIPBOARD_COMMANDS;
  const used = await copyToClipboard(code, commands, context.deps.env);
  if (used === null) {
    const tried = commands.map((candidate) => candidate.command).join(', ');
    context.err(`warning: no clipboard available (tried ${tried}); the code was not copied\n`);
  }
}
