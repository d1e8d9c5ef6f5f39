import type { Entry } from '../../../core/entry/model.js';
import { deriveV2Keys } from '../../../core/v2/keys.js';
import type { RemoteFailure } from '../../../core/v2/sync/merge.js';
import type { V2Item } from '../../../core/v2/wire.js';
import { CliError } from '../../cli-error.js';
import { printable } from '../../output/text-format.js';
import type { CommandContext } from '../../command-context.js';
import { syncAccountKey } from '../../vault/sync-state-file.js';
import { newEntry, type SecretEntry } from '../../vault/vault-store.js';
import { V1RemoteClient } from '../http/v1-client.js';
import { V2RemoteClient } from '../http/v2-client.js';
import { openRemoteAccount, type RemoteAccount } from '../remote-account.js';
import { openItems, type OpenedItem } from '../../../core/v2/open.js';
import type { V2Transport } from '../../../core/v2/sync/run.js';
import { httpTransport } from '../../../core/v2/sync/transport.js';

/**
 * What a v2 remote command works with: both clients (pull, info and migrate read the v1 entries an
 * account still has) and the keys.
 */
export interface V2Session {
  readonly client: V2RemoteClient;
  readonly v1Client: V1RemoteClient;
  /** The v1 key, for reading v1 entries. */
  readonly v1Key: Uint8Array<ArrayBuffer>;
  readonly envelopeKey: CryptoKey;
  readonly userId: string;
  readonly dir: string;
  /** The account's key in `sync-v2.json`. */
  readonly account: string;
  readonly transport: V2Transport;
}

/** A live remote item, decrypted. */
export interface RemoteEntry {
  readonly item: Pick<V2Item, 'id' | 'rev' | 'seq'>;
  readonly entry: Entry;
}

/**
 * The v2 API base beside the v1 base (`remote-account.ts` has made `OPEN2FA_API_URL` one): a
 * trailing `/v1` becomes `/v2`, anything else gets `/v2` appended.
 */
export function v2ApiUrl(v1ApiUrl: string): string {
  return `${v1ApiUrl.replace(/\/v1$/, '')}/v2`;
}

/** Derives the v2 keys from the UUID's credentials and builds the clients; no UUID is a `no_uuid` failure. */
export async function openV2Session(context: CommandContext): Promise<V2Session> {
  const { apiUrl: v1Url, credentials, dir } = await openRemoteAccount(context);
  return v2SessionFor(context, v1Url, credentials, dir);
}

/** The session of the account `credentials` name (`remote rotate` works with two). */
export async function v2SessionFor(
  context: CommandContext,
  v1Url: string,
  credentials: RemoteAccount['credentials'],
  dir: string,
): Promise<V2Session & { readonly authToken: string }> {
  const apiUrl = v2ApiUrl(v1Url);
  const keys = await deriveV2Keys(credentials.key);
  const fetch = context.deps.fetch;
  const client = new V2RemoteClient({ apiUrl, authToken: keys.authToken, fetch });
  const v1Client = new V1RemoteClient({ apiUrl: v1Url, userHash: credentials.id, fetch });
  const session = {
    client,
    v1Client,
    v1Key: credentials.key,
    envelopeKey: keys.envelopeKey,
    userId: credentials.id,
    dir,
    account: syncAccountKey(apiUrl, credentials.id),
  };
  return {
    ...session,
    authToken: keys.authToken,
    transport: httpTransport(client.core, keys.envelopeKey, credentials.id),
  };
}

type SessionKeys = Pick<V2Session, 'client' | 'envelopeKey' | 'userId'>;

/** Every item's latest change after `since` (all pages), opened (core/v2/open.ts). */
export async function fetchOpened(session: SessionKeys, since: number): Promise<{ items: OpenedItem[]; seq: number }> {
  const { items, seq } = await session.client.allChanges(since);
  return { items: await openItems(session.envelopeKey, session.userId, items), seq };
}

/** The live items of the account, decrypted (for `remote list`, `info`, `delete` and `migrate`). */
export async function fetchLiveEntries(
  session: SessionKeys,
): Promise<{ entries: RemoteEntry[]; failures: RemoteFailure[]; seq: number }> {
  const { items, seq } = await fetchOpened(session, 0);
  const entries: RemoteEntry[] = [];
  const failures: RemoteFailure[] = [];
  for (const item of items) {
    if (item.kind === 'live') entries.push({ item: { id: item.id, rev: item.rev, seq: item.seq }, entry: item.entry });
    else if (item.kind === 'failed') failures.push({ id: item.id, seq: item.seq, why: item.why });
  }
  return { entries, failures, seq };
}

/** The entry of a vault line, without the file's own fields. */
export function entryOf(stored: SecretEntry): Entry {
  return {
    secret: stored.secret,
    name: stored.name,
    ...(stored.issuer === undefined ? {} : { issuer: stored.issuer }),
    ...(stored.account === undefined ? {} : { account: stored.account }),
    type: stored.type,
    algorithm: stored.algorithm,
    digits: stored.digits,
    period: stored.period,
    counter: stored.counter,
    ...(stored.note === undefined ? {} : { note: stored.note }),
  };
}

/** A vault line for an entry that came from the server. */
export function storedEntry(entry: Entry): SecretEntry {
  const { secret, name, ...parts } = entry;
  return newEntry(secret, name, parts);
}

/** Prints each warning on stderr, once. */
export function printWarnings(
  context: Pick<CommandContext, 'err'>,
  warnings: readonly { readonly message: string }[],
): void {
  // Warnings quote item ids the server chose: shown through `printable`, like every server string.
  for (const message of new Set(warnings.map((warning) => printable(warning.message)))) {
    context.err(`warning: ${message}\n`);
  }
}

/** The failure a command ends with after reporting items that failed their integrity check. */
export function integrityFailure(count: number): CliError {
  return new CliError(
    'integrity_failed',
    `${String(count)} remote ${count === 1 ? 'item' : 'items'} failed the integrity check and ${count === 1 ? 'was' : 'were'} skipped`,
  );
}
