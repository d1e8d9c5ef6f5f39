import type { Entry } from '../../../core/entry.js';
import { isOpen2faError } from '../../../core/errors.js';
import { openEnvelope, sealEnvelope } from '../../../core/v2-envelope.js';
import { deriveV2Keys } from '../../../core/v2-keys.js';
import type { RemoteFailure } from '../../../core/v2-sync.js';
import type { V2Item } from '../../../core/wire/v2-wire.js';
import { CliError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import { syncAccountKey } from '../../vault/sync-state-file.js';
import { newEntry, type SecretEntry } from '../../vault/vault-store.js';
import { V1RemoteClient } from '../http/v1-client.js';
import { V2RemoteClient, type V2WriteOutcome } from '../http/v2-client.js';
import { openRemoteAccount } from '../remote-account.js';
import type { DecryptedItem, TransportWrite, V2Transport } from './sync-run.js';

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
  readonly item: V2Item;
  readonly entry: Entry;
}

/**
 * The v2 API base from `OPEN2FA_API_URL`, which names the v1 base (`…/api/v1`) for the 1.x
 * client's sake: a trailing `/v1` becomes `/v2`, anything else gets `/v2` appended.
 */
export function v2ApiUrl(v1ApiUrl: string): string {
  return `${v1ApiUrl.replace(/\/v1$/, '')}/v2`;
}

/** Derives the v2 keys from the UUID's credentials and builds the clients; no UUID is a `no_uuid` failure. */
export async function openV2Session(context: CommandContext): Promise<V2Session> {
  const { apiUrl: v1Url, credentials, dir } = await openRemoteAccount(context);
  const apiUrl = v2ApiUrl(v1Url);
  const keys = await deriveV2Keys(credentials.key);
  const fetch = context.deps.fetch;
  const client = new V2RemoteClient({ apiUrl, userHash: credentials.id, authToken: keys.authToken, fetch });
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
  return { ...session, transport: httpTransport(session) };
}

type SessionKeys = Pick<V2Session, 'client' | 'envelopeKey' | 'userId'>;

/** Every item after `since` (all pages), decrypted; envelopes failing authentication listed apart. */
export async function fetchDecrypted(
  session: SessionKeys,
  since: number,
): Promise<{ items: DecryptedItem[]; failures: RemoteFailure[]; seq: number }> {
  const changes = await session.client.allChanges(since);
  const items: DecryptedItem[] = [];
  const failures: RemoteFailure[] = [];
  for (const item of changes.items) {
    if (item.deleted || item.envelope === null) {
      items.push({ id: item.id, rev: item.rev, seq: item.seq, entry: null });
      continue;
    }
    try {
      const entry = await openEnvelope(session.envelopeKey, { userId: session.userId, itemId: item.id }, item.envelope);
      items.push({ id: item.id, rev: item.rev, seq: item.seq, entry });
    } catch (error) {
      if (!isOpen2faError(error, 'integrity_failed') && !isOpen2faError(error, 'invalid_envelope')) throw error;
      failures.push({ id: item.id, seq: item.seq });
    }
  }
  return { items, failures, seq: changes.seq };
}

/** The live items of the account, decrypted (for `remote list`, `info`, `delete` and `migrate`). */
export async function fetchLiveEntries(
  session: SessionKeys,
): Promise<{ entries: RemoteEntry[]; failures: RemoteFailure[]; seq: number }> {
  const { items, failures, seq } = await fetchDecrypted(session, 0);
  const latest = new Map(items.map((item) => [item.id, item]));
  const entries: RemoteEntry[] = [];
  for (const item of latest.values()) {
    if (item.entry === null) continue;
    entries.push({
      item: { id: item.id, rev: item.rev, seq: item.seq, deleted: false, envelope: null },
      entry: item.entry,
    });
  }
  return { entries, failures, seq };
}

function httpTransport(session: SessionKeys): V2Transport {
  return {
    changes: (since) => fetchDecrypted(session, since),
    put: async (id, baseRev, entry) => {
      const envelope = await sealEnvelope(session.envelopeKey, { userId: session.userId, itemId: id }, entry);
      return toTransport(await session.client.put(id, baseRev, envelope));
    },
    delete: async (id, baseRev) => toTransport(await session.client.delete(id, baseRev)),
  };
}

function toTransport(outcome: V2WriteOutcome): TransportWrite {
  return outcome.status === 'ok' ? { status: 'ok', rev: outcome.item.rev } : { status: outcome.status };
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
  for (const message of new Set(warnings.map((warning) => warning.message))) context.err(`warning: ${message}\n`);
}

/** The failure a command ends with after reporting items that failed their integrity check. */
export function integrityFailure(count: number): CliError {
  return new CliError(
    'integrity_failed',
    `${String(count)} remote ${count === 1 ? 'item' : 'items'} failed the integrity check and ${count === 1 ? 'was' : 'were'} skipped`,
  );
}
