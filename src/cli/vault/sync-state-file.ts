import { join } from 'node:path';
import { isRecord } from '../../core/is-record.js';
import { EMPTY_SYNC_STATE, type SyncedItem, type SyncState } from '../../core/v2/sync/types.js';
import { assertVaultLocked } from './vault-lock.js';
import { damagedFile, readVersionedFile, writeVersionedFile, type VersionedFile } from './versioned-file.js';

/**
 * Protocol v2 sync state, beside `secrets.json` (which stays in the Python client's layout): per API
 * URL and Open2FA ID, the highest sequence seen and, per item, the revision and fingerprints of the
 * local copy as last synced, plus deletions not sent yet.
 */
export const SYNC_STATE_FILE = 'sync-v2.json';
const FILE: VersionedFile<'record'> = { name: SYNC_STATE_FILE, version: 1, body: 'accounts', shape: 'record' };

/** The key of one account in the file: the v2 API URL and the Open2FA ID. */
export function syncAccountKey(apiUrl: string, id: string): string {
  return `${apiUrl} ${id}`;
}

/** The state of one account; an account never synced (or a missing file) starts empty. */
export async function loadSyncState(dir: string, account: string): Promise<SyncState> {
  const accounts = await readAccounts(dir);
  const state = accounts[account];
  return state === undefined ? EMPTY_SYNC_STATE : parseState(state, join(dir, SYNC_STATE_FILE));
}

/** Replaces one account's state atomically (0600), keeping the others. Under the vault lock. */
export async function saveSyncState(dir: string, account: string, state: SyncState): Promise<void> {
  assertVaultLocked(dir);
  await writeVersionedFile(dir, FILE, { ...(await readAccounts(dir)), [account]: state });
}

async function readAccounts(dir: string): Promise<Record<string, unknown>> {
  return (await readVersionedFile(dir, FILE)) ?? {};
}

function parseState(value: unknown, path: string): SyncState {
  if (!isRecord(value) || !isCount(value.seq) || !isCount(value.cursor))
    throw damagedFile(path, 'bad "seq" or "cursor"');
  const { items, deletions } = value;
  if (!isRecord(items) || !Object.values(items).every(isSyncedItem)) throw damagedFile(path, 'bad "items"');
  if (!isRecord(deletions) || !Object.values(deletions).every(isCount)) throw damagedFile(path, 'bad "deletions"');
  return {
    seq: value.seq,
    cursor: value.cursor,
    items: items as Record<string, SyncedItem>,
    deletions: deletions as Record<string, number>,
  };
}

function isSyncedItem(value: unknown): value is SyncedItem {
  return (
    isRecord(value) &&
    isCount(value.rev) &&
    typeof value.fingerprint === 'string' &&
    typeof value.secret === 'string' &&
    (value.sealed === undefined || value.sealed === true)
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
