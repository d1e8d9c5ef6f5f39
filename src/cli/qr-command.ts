import { formatOtpauthUri } from '../core/formats/otpauth-uri.js';
import { qrMatrix } from '../core/qr-matrix.js';
import type { CommandContext } from './command-context.js';
import { CliError } from './cli-error.js';
import { selectOne } from './entry-match.js';
import { displayName } from './text-format.js';
import { loadVault } from './vault-store.js';

export interface QrOptions {
  readonly query: string | undefined;
  /** Dark modules drawn as blocks, for terminals with a light background. */
  readonly invert: boolean;
}

/** Light modules around the code; scanners need a quiet zone to find it. */
const QUIET_ZONE = 2;

/**
 * `open2fa qr NAME`: the entry's `otpauth://` URI as a QR code in the terminal, to move it to a
 * phone. Two modules per character (upper and lower half blocks) keep it square and small.
 */
export async function runQr(context: CommandContext, options: QrOptions): Promise<void> {
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

/**
 * The QR code of `text` as lines of `█ ▀ ▄` and spaces. By default the light modules are drawn (a
 * terminal's text is light on dark); `invert` draws the dark ones instead.
 */
export function renderQr(text: string, invert = false): string {
  const qr = qrMatrix(text);
  const { size } = qr;
  const drawn = (row: number, column: number): boolean => {
    const inside = row >= 0 && row < size && column >= 0 && column < size;
    const dark = inside && qr.isDark(row, column);
    return invert ? dark : !dark;
  };
  const lines: string[] = [];
  for (let row = -QUIET_ZONE; row < size + QUIET_ZONE; row += 2) {
    let line = '';
    for (let column = -QUIET_ZONE; column < size + QUIET_ZONE; column++) {
      const top = drawn(row, column);
      const bottom = row + 1 < size + QUIET_ZONE && drawn(row + 1, column);
      line += top ? (bottom ? '█' : '▀') : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}
