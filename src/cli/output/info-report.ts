import type { CommandContext } from '../command-context.js';
import type { LocalInfo } from '../vault/local-info.js';
import { maskIdentifier } from './text-format.js';

export interface InfoOptions {
  /** Show the UUID, ID and Secret uncensored. */
  readonly secrets: boolean;
  readonly json: boolean;
}

/** What `remote info` adds: the server's count, and the v1 entries a v2 account still has there. */
export interface RemoteCounts {
  readonly remoteSecrets: number;
  readonly remoteV1Entries?: number;
  /** Under v2: which protocols `remote push` writes, and why (src/cli/remote/mixed-account.ts). */
  readonly accountMode?: string;
}

/**
 * Prints the status block in the Python client's words, or the same facts as JSON; identifiers are
 * masked unless asked otherwise.
 */
export function printInfo(
  context: Pick<CommandContext, 'out'>,
  local: LocalInfo,
  counts: RemoteCounts | null,
  options: InfoOptions,
): void {
  const shown = (text: string | null): string | null =>
    text === null ? null : options.secrets ? text : maskIdentifier(text);
  const info = { ...local, uuid: shown(local.uuid), id: shown(local.id), secret: shown(local.secret), ...counts };
  if (options.json) {
    context.out(`${JSON.stringify(info, null, 2)}\n`);
    return;
  }
  const notSet = 'not set (run `open2fa remote init` or set OPEN2FA_UUID)';
  const source = info.uuidSource === 'env' ? ' (from OPEN2FA_UUID)' : '';
  const lines = [
    '',
    '========== Open2FA INFO/STATUS ==========',
    ...(options.secrets ? [] : ['(add -s to show uncensored secrets)']),
    '',
    `Open2FA Directory: ${info.directory}`,
    `Open2FA Remote API URL: ${info.apiUrl}`,
    `Open2FA Protocol: ${info.protocol}`,
    `Number of secrets: ${String(info.secrets)}`,
    `Open2FA UUID: ${info.uuid === null ? notSet : info.uuid + source}`,
    `Open2FA ID: ${info.id ?? '-'}`,
    `Open2FA Secret: ${info.secret ?? '-'}`,
    ...(counts === null ? [] : [`Remote secrets: ${String(counts.remoteSecrets)}`]),
    '',
  ];
  context.out(`${lines.join('\n')}\n`);
  const v1Entries = counts?.remoteV1Entries ?? 0;
  if (v1Entries > 0) {
    context.out(`Remote v1 entries: ${String(v1Entries)} (move them with \`open2fa remote migrate\`)\n`);
  }
  if (counts?.accountMode !== undefined) context.out(`Account mode: ${counts.accountMode}\n`);
}
