import { CliError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import { renderQr } from '../../output/qr-render.js';
import { resolveUuid } from '../../vault/uuid-file.js';
import type { CliCommand } from '../command-module.js';

export const command = {
  description: 'print a link (and its QR code) that opens this account in the web page of the server',
  examples: ['open2fa remote pair', 'open2fa remote pair --no-qr'],
  options: (command) =>
    command
      .option('--no-qr', 'print the link only')
      .option('--invert', 'draw dark modules (for terminals with a light background)', false),
  run: (context, options: { qr: boolean; invert: boolean }) => runPair(context, options),
} satisfies CliCommand;

/**
 * `open2fa remote pair`: `<server>/#pair=<UUID>`, the fragment the page reads and wipes from its
 * address (src/web/pair-link.ts, docs/web.md "Pairing"). A fragment never reaches a server, but the
 * link is the key to every secret: the warning goes to stderr, so a redirect keeps only the link.
 */
async function runPair(context: CommandContext, options: { qr: boolean; invert: boolean }): Promise<void> {
  const { apiUrl, vaultDir, uuid } = context.settings('apiUrl', 'vaultDir', 'uuid');
  const source = await resolveUuid(uuid, vaultDir);
  if (source === null) {
    throw new CliError('no_uuid', 'no Open2FA UUID: run `open2fa remote init` or set OPEN2FA_UUID');
  }
  const link = pairLink(apiUrl, source.uuid);
  context.err(
    'warning: this link is the key to every secret of the account: whoever sees it (or its QR code) ' +
      'can read them all; open it only on your own device, and do not paste it into a chat or a ticket\n',
  );
  context.out(`${link}\n`);
  if (options.qr) context.out(renderQr(link, options.invert));
}

/** The page is served at the server's root, beside `/api`: the API path is dropped. */
export function pairLink(apiUrl: string, uuid: string): string {
  const url = new URL(apiUrl);
  url.pathname = url.pathname.replace(/\/api(?:\/v1)?\/?$/, '/');
  url.search = '';
  url.hash = new URLSearchParams({ pair: uuid.toLowerCase() }).toString();
  return url.href;
}
