import { entryProblem } from '../../core/entry/codes.js';
import type { CommandContext } from '../command-context.js';
import { CliError } from '../cli-error.js';
import { copyToClipboard, DEFAULT_CLIPBOARD_COMMANDS } from '../terminal/clipboard.js';
import { codeOf } from '../output/entry-codes.js';
import { selectOne } from '../vault/entry-match.js';
import { displayName } from '../output/text-format.js';
import { advanceCounter, loadVault, saveVault, type SecretEntry } from '../vault/vault-store.js';
import type { CliCommand } from './command-module.js';

export const command = {
  description: 'print only the current code of one secret (HOTP: then advances its counter)',
  examples: ['open2fa code GitHub', 'open2fa code git --copy'],
  options: (command) =>
    command
      .argument('[name]', 'its name, issuer or account: exact, any case, or a unique part')
      .option('-n, --name <name>', 'the same, as an option')
      .option('-c, --copy', 'also copy the code to the clipboard', false),
  run: (context, query: string | undefined, options: { name?: string; copy: boolean }) =>
    runCode(context, { query: query ?? options.name, copy: options.copy }),
} satisfies CliCommand;

export interface CodeOptions {
  readonly query: string | undefined;
  readonly copy: boolean;
}

/**
 * `open2fa code NAME`: prints only the current code, for scripts. An HOTP entry shows the code of
 * its counter and then saves the next counter, so the same code is never shown twice. With `--copy`
 * the code also goes to the clipboard; no clipboard is a warning, not a failure.
 */
async function runCode(context: CommandContext, options: CodeOptions): Promise<void> {
  if (options.query === undefined) throw new CliError('usage', 'no name given: open2fa code NAME');
  const query = options.query;
  const dir = context.vaultDir();
  const vault = await loadVault(dir);
  const entry = selectOne(vault.entries, query);
  const code =
    entry.type === 'hotp'
      ? await context.lockVault(dir, async () => {
          // Read again under the lock: two `code` runs at once must not both show the same counter.
          const locked = await loadVault(dir);
          const current = selectOne(locked.entries, query);
          const counterCode = usableCode(current, context.deps.now());
          // Renamed or replaced meanwhile: the name now means a TOTP entry, which has no counter to save.
          if (current.type !== 'hotp') return counterCode;
          // Saved before the code is shown: a code that was printed must never be printed again.
          const entries = locked.entries.map((candidate) =>
            candidate === current ? advanceCounter(current) : candidate,
          );
          await saveVault(dir, { ...locked, entries });
          return counterCode;
        })
      : usableCode(entry, context.deps.now());
  context.out(`${code}\n`);
  if (!options.copy) return;
  const commands = context.deps.clipboardCommands ?? DEFAULT_CLIPBOARD_COMMANDS;
  // The clipboard program gets only what it needs of the environment (DISPLAY, WAYLAND_DISPLAY, PATH…:
  // clipboardEnv); OPEN2FA_UUID, OPEN2FA_PASSPHRASE and the rest stay out.
  const used = await copyToClipboard(code, commands, context.deps.env);
  if (used === null) {
    const tried = commands.map((candidate) => candidate.command).join(', ');
    context.err(`warning: no clipboard available (tried ${tried}); the code was not copied\n`);
  }
}

function usableCode(entry: SecretEntry, now: number): string {
  const code = codeOf(entry, now);
  if (code !== null) return code;
  const why = entryProblem(entry) ?? 'it cannot produce codes';
  throw new CliError('corrupt_file', `the stored entry ${displayName(entry.name)} is not usable: ${why}`);
}
