import { deriveV1Credentials, type V1Credentials } from '../../core/v1/keys.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { resolveUuid } from '../vault/uuid-file.js';

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
  return { apiUrl, credentials: await deriveV1Credentials(source.uuid), dir: vaultDir };
}
