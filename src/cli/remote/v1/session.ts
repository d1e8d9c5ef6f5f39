import type { V1Totp } from '../../../core/v1/wire.js';
import type { CommandContext } from '../../command-context.js';
import type { SecretEntry } from '../../vault/vault-store.js';
import { V1RemoteClient } from '../http/v1-client.js';
import { encryptV1Entries } from '../mixed-account.js';
import { openRemoteAccount } from '../remote-account.js';

/** What a v1 remote command works with: the client for this person's ID and the key of their secrets. */
export interface V1Session {
  readonly client: V1RemoteClient;
  readonly key: Uint8Array<ArrayBuffer>;
  readonly dir: string;
}

/** Derives the v1 credentials from the UUID and builds the client (no UUID: `no_uuid`). */
export async function openV1Session(context: CommandContext): Promise<V1Session> {
  const { apiUrl, credentials, dir } = await openRemoteAccount(context);
  const client = new V1RemoteClient({ apiUrl, userHash: credentials.id, fetch: context.deps.fetch });
  return { client, key: credentials.key, dir };
}

/** The v1 wire form of local entries: deterministic ciphertexts, names in clear as 1.x sent them. */
export function encryptEntries(key: Uint8Array<ArrayBuffer>, entries: readonly SecretEntry[]): Promise<V1Totp[]> {
  return encryptV1Entries(key, entries);
}
