import { decryptV1, encryptV1 } from '../core/v1/cipher.js';
import { deriveV1Credentials } from '../core/v1/keys.js';
import type { V1StoredTotp, V1Totp } from '../core/v1/wire.js';
import type { CommandContext } from './command-context.js';
import { resolveApiUrl, resolveProtocol } from './cli-config.js';
import { CliError } from './cli-error.js';
import type { ListedSecret } from './list-command.js';
import { V1RemoteClient } from './remote-client.js';
import { isUsableSecret } from './secret-rules.js';
import { displayName } from './text-format.js';
import { resolveUuid } from './uuid-file.js';
import type { SecretEntry } from './vault-store.js';

/** What a remote command works with: the client for this person's ID and the key of their secrets. */
export interface RemoteSession {
  readonly client: V1RemoteClient;
  readonly key: Uint8Array<ArrayBuffer>;
  readonly dir: string;
}

/** Remote entries after decryption, and the names of those that could not be decrypted. */
export interface DecryptedEntries {
  readonly secrets: ListedSecret[];
  readonly failures: string[];
}

/**
 * Checks the environment (protocol, API URL) and the UUID, derives the v1 credentials and builds the
 * client. Without a UUID there is nothing to talk to the server with: that is a `no_uuid` failure.
 */
export async function openRemoteSession(context: CommandContext): Promise<RemoteSession> {
  const env = context.deps.env;
  resolveProtocol(env);
  const apiUrl = resolveApiUrl(env);
  const dir = context.vaultDir();
  const source = await resolveUuid(env, dir);
  if (source === null) {
    throw new CliError('no_uuid', 'no Open2FA UUID: run `open2fa remote init` or set OPEN2FA_UUID');
  }
  const credentials = await deriveV1Credentials(source.uuid);
  const client = new V1RemoteClient({ apiUrl, userHash: credentials.id, fetch: context.deps.fetch });
  return { client, key: credentials.key, dir };
}

/** The v1 wire form of local entries: deterministic ciphertexts, names in clear as 1.x sent them. */
export function encryptEntries(key: Uint8Array<ArrayBuffer>, entries: readonly SecretEntry[]): Promise<V1Totp[]> {
  return Promise.all(
    entries.map(async (entry) => ({ enc_secret: await encryptV1(key, entry.secret), name: entry.name })),
  );
}

/**
 * Decrypts remote entries. One that does not decrypt (or decrypts to something that is not a TOTP
 * secret, the sign of a wrong key) is reported by name instead of failing the whole command.
 */
export async function decryptEntries(
  key: Uint8Array<ArrayBuffer>,
  totps: readonly V1StoredTotp[],
): Promise<DecryptedEntries> {
  const results = await Promise.all(
    totps.map(async (totp) => {
      const secret = await decryptV1(key, totp.enc_secret).catch(() => null);
      return { name: totp.name, secret: secret !== null && isUsableSecret(secret) ? secret : null };
    }),
  );
  const secrets: ListedSecret[] = [];
  const failures: string[] = [];
  for (const result of results) {
    if (result.secret === null) failures.push(displayName(result.name));
    else secrets.push({ name: result.name, secret: result.secret });
  }
  return { secrets, failures };
}

/** Warns about each undecryptable entry; the command goes on and fails (exit 1) at the end. */
export function warnFailures(context: CommandContext, failures: readonly string[]): void {
  for (const name of failures) {
    context.err(`warning: cannot decrypt the remote entry ${name} (was it pushed with another UUID?)\n`);
  }
}

/** The failure a command ends with after `warnFailures`. */
export function decryptFailure(failures: readonly string[]): CliError {
  const count = failures.length;
  return new CliError(
    'decrypt_failed',
    `${String(count)} remote ${count === 1 ? 'entry' : 'entries'} could not be decrypted`,
  );
}
