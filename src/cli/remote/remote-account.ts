import { deriveV1Credentials, type V1Credentials } from '../../core/v1/keys.js';
import { CliError } from '../cli-error.js';
import { printable } from '../output/text-format.js';
import type { CommandContext } from '../command-context.js';
import { resolveUuid } from '../vault/uuid-file.js';

/**
 * The v1 API base from `OPEN2FA_API_URL`, which may name the server (`http://host:8000`), its v1
 * base (`…/api/v1`, what 1.x clients are given) or its v2 base (`…/api/v2`). Any other path is kept
 * as the v1 base (a proxy may mount the API elsewhere); a 404 there comes with a hint
 * (`http-errors.ts`).
 *
 * @example v1ApiBase('http://host:8000') // 'http://host:8000/api/v1'
 * @example v1ApiBase('http://host:8000/api/v2') // 'http://host:8000/api/v1'
 */
export function v1ApiBase(configured: string): string {
  const trimmed = configured.replace(/\/+$/, '');
  if (trimmed.endsWith('/api/v2')) return `${trimmed.slice(0, -'/v2'.length)}/v1`;
  if (new URL(trimmed).pathname.replace(/\/+$/, '') === '') return `${trimmed}/api/v1`;
  return trimmed;
}

/** Whom both protocols speak for: the UUID's credentials, the configured server and the vault. */
export interface RemoteAccount {
  /** The v1 API base (`OPEN2FA_API_URL`); v2 lives beside it. */
  readonly apiUrl: string;
  /** The Open2FA ID (`X-User-Hash`), Secret and the v1 key, all derived from the UUID. */
  readonly credentials: V1Credentials;
  readonly dir: string;
}

/**
 * Checks the settings and the UUID and derives the credentials. Without a UUID there is nothing to
 * talk to the server with: that is a `no_uuid` failure.
 */
export async function openRemoteAccount(context: CommandContext): Promise<RemoteAccount> {
  const { apiUrl, vaultDir, uuid } = context.settings('apiUrl', 'vaultDir', 'uuid');
  const source = await resolveUuid(uuid, vaultDir);
  if (source === null) {
    throw new CliError('no_uuid', 'no Open2FA UUID: run `open2fa remote init` or set OPEN2FA_UUID');
  }
  warnPlainHttp(context, apiUrl);
  return { apiUrl: v1ApiBase(apiUrl), credentials: await deriveV1Credentials(source.uuid), dir: vaultDir };
}

const warned = new WeakSet<CommandContext>();

/**
 * Plain `http:` to another host lets anyone on the way read the Open2FA ID and the token and answer
 * for the server: said once per command, on stderr. Loopback (a local test server, an SSH tunnel)
 * is fine.
 */
export function warnPlainHttp(context: CommandContext, apiUrl: string): void {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return;
  }
  if (url.protocol !== 'http:' || isLoopback(url.hostname) || warned.has(context)) return;
  warned.add(context);
  context.err(
    `warning: ${printable(url.origin)} is plain http: anyone on the network can read the Open2FA ID and ` +
      'the token and answer in place of the server; use https\n',
  );
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
