import { deriveV1Credentials } from '../core/v1/keys.js';
import type { CommandContext } from './command-context.js';
import { resolveApiUrl, resolveProtocol } from './cli-config.js';
import { maskIdentifier } from './text-format.js';
import { resolveUuid } from './uuid-file.js';
import { loadVault } from './vault-store.js';

export interface InfoOptions {
  /** Show the UUID, ID and Secret uncensored. */
  readonly secrets: boolean;
  readonly json: boolean;
}

/** The facts `info` and `remote info` show; identifiers are masked unless asked otherwise. */
export interface InfoData {
  readonly directory: string;
  readonly apiUrl: string;
  readonly protocol: string;
  readonly secrets: number;
  readonly uuid: string | null;
  readonly uuidSource: 'env' | 'file' | null;
  readonly id: string | null;
  readonly secret: string | null;
  readonly remoteSecrets?: number;
}

/** Gathers the local facts; never contacts the server. */
export async function collectInfo(context: CommandContext, showSecrets: boolean): Promise<InfoData> {
  const env = context.deps.env;
  const directory = context.vaultDir();
  const [vault, source] = await Promise.all([loadVault(directory), resolveUuid(env, directory)]);
  const credentials = source === null ? null : await deriveV1Credentials(source.uuid);
  const shown = (text: string | undefined): string | null =>
    text === undefined ? null : showSecrets ? text : maskIdentifier(text);
  return {
    directory,
    apiUrl: resolveApiUrl(env),
    protocol: resolveProtocol(env),
    secrets: vault.entries.length,
    uuid: shown(source?.uuid),
    uuidSource: source?.from ?? null,
    id: shown(credentials?.id),
    secret: shown(credentials?.secret),
  };
}

/** Prints the status block in the Python client's words, or the same facts as JSON. */
export function printInfo(context: CommandContext, info: InfoData, options: InfoOptions): void {
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
    ...(info.remoteSecrets === undefined ? [] : [`Remote secrets: ${String(info.remoteSecrets)}`]),
    '',
  ];
  context.out(`${lines.join('\n')}\n`);
}

/** `open2fa info`: local facts only, so it works offline and instantly. */
export async function runInfo(context: CommandContext, options: InfoOptions): Promise<void> {
  printInfo(context, await collectInfo(context, options.secrets), options);
}
