import { formatOtpauthUri } from '../../core/formats/otpauth-uri.js';
import { renderQr } from '../output/qr-render.js';
import type { CommandContext } from '../command-context.js';
import { CliError } from '../cli-error.js';
import { selectOne } from '../vault/entry-match.js';
import { displayName } from '../output/text-format.js';
import { loadVault } from '../vault/vault-store.js';
import type { CliCommand } from './command-module.js';

export const command = {
  description: "draw an entry's otpauth:// QR code in the terminal, to scan it with a phone",
  examples: ['open2fa qr GitHub'],
  options: (command) =>
    command
      .argument('[name]', 'its name, issuer or account: exact, any case, or a unique part')
      .option('-n, --name <name>', 'the same, as an option')
      .option('--invert', 'draw dark modules (for terminals with a light background)', false),
  run: (context, query: string | undefined, options: { name?: string; invert: boolean }) =>
    runQr(context, { query: query ?? options.name, invert: options.invert }),
} satisfies CliCommand;

export interface QrOptions {
  readonly query: string | undefined;
  /** Dark modules drawn as blocks, for terminals with a light background. */
  readonly invert: boolean;
}

/**
 * `open2fa qr NAME`: the entry's `otpauth://` URI as a QR code in the terminal, to move it to a
 * phone. Two modules per character (upper and lower half blocks) keep it square and small.
 */
async function runQr(context: CommandContext, options: QrOptions): Promise<void> {
  if (options.query === undefined) throw new CliError('usage', 'no name given: open2fa qr NAME');
  const vault = await loadVault(context.vaultDir());
  const entry = selectOne(vault.entries, options.query);
  let uri: string;
  try {
    uri = formatOtpauthUri(entry);
  } catch {
    throw new CliError('corrupt_file', `the stored secret of ${displayName(entry.name)} is not valid base32`);
  }
  context.err(
    `warning: this QR code holds the secret of ${displayName(entry.name)}: anyone who sees it can make its codes\n`,
  );
  context.out(renderQr(uri, options.invert));
}
