import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandContext } from '../command-context.js';
import { CliError } from '../cli-error.js';

const PASSPHRASE_ENV = 'OPEN2FA_PASSPHRASE';
/** Asked of new backups only: a backup is only as strong as its passphrase. */
export const MIN_PASSPHRASE_LENGTH = 8;

export interface PassphraseSource {
  /** `--passphrase-file FILE`: its first line is the passphrase. */
  readonly file: string | undefined;
  /** Ask twice on a terminal, and require `MIN_PASSPHRASE_LENGTH` characters (new backups). */
  readonly forNewBackup: boolean;
}

/**
 * The passphrase of an encrypted backup, from `--passphrase-file`, else `OPEN2FA_PASSPHRASE`, else
 * asked on the terminal without echo. Without any of them (a script) it fails instead of waiting.
 */
export async function readPassphrase(context: CommandContext, source: PassphraseSource): Promise<string> {
  const passphrase = await findPassphrase(context, source);
  if (passphrase === '') throw new CliError('usage', 'the passphrase is empty');
  if (source.forNewBackup && Array.from(passphrase).length < MIN_PASSPHRASE_LENGTH) {
    throw new CliError('usage', `the passphrase needs at least ${String(MIN_PASSPHRASE_LENGTH)} characters`);
  }
  return passphrase;
}

async function findPassphrase(context: CommandContext, source: PassphraseSource): Promise<string> {
  if (source.file !== undefined) {
    const path = resolve(context.deps.cwd, source.file);
    try {
      return (await readFile(path, 'utf8')).split(/\r?\n/)[0] ?? '';
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new CliError('usage', `cannot read the passphrase file ${path} (${String(code ?? error)})`);
    }
  }
  const fromEnv = context.settings('passphrase').passphrase;
  if (fromEnv !== null) return fromEnv;
  if (!context.deps.stdinIsTTY) {
    throw new CliError(
      'usage',
      `no passphrase: stdin is not a terminal, so set ${PASSPHRASE_ENV} or use --passphrase-file FILE`,
    );
  }
  const prompter = await context.prompter();
  const first = await prompter.askHidden('Passphrase of the backup: ');
  if (first === null) throw new CliError('cancelled', 'no passphrase given');
  if (!source.forNewBackup) return first;
  const again = await prompter.askHidden('The same passphrase again: ');
  if (again !== first) throw new CliError('usage', 'the two passphrases differ; nothing was written');
  return first;
}
