import { isRecord } from '../../core/is-record.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EMPTY_SYNC_STATE, type SyncedItem, type SyncState } from '../../core/v2/sync/types.js';
import { ensurePrivateDir, writeFileAtomic } from './atomic-file.js';
import { CliError } from '../cli-error.js';
import { describeIoError, isSystemError } from '../system-error.js';
import { assertVaultLocked } from './vault-lock.js';

/**
 * Protocol v2 sync state, beside `secrets.json` (which stays in the Python client's layout): per API
 * URL and Open2FA ID, the highest sequence seen and, per item, the revision and fingerprints of the
 * local copy as last synced, plus deletions not sent yet.
 */
export const SYNC_STATE_FILE = 'sync-v2.json';
const VERSION = 1;

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
  const path = join(dir, SYNC_STATE_FILE);
  const accounts = { ...(await readAccounts(dir)), [account]: state };
  try {
    await ensurePrivateDir(dir);
    await writeFileAtomic(path, `${JSON.stringify({ version: VERSION, accounts }, null, 1)}\n`);
  } catch (error) {
    throw new CliError('io_failed', `cannot write ${path}: ${describeIoError(error)}`, { cause: error });
  }
}

async function readAccounts(dir: string): Promise<Record<string, unknown>> {
  const path = join(dir, SYNC_STATE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isSystemError(error) && error.code === 'ENOENT') return {};
    throw new CliError('io_failed', `cannot read ${path}: ${describeIoError(error)}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupt(path, 'it is not valid JSON');
  }
  if (!isRecord(parsed) || parsed.version !== VERSION || !isRecord(parsed.accounts)) {
    throw corrupt(path, `expected {"version": ${String(VERSION)}, "accounts": {…}}`);
  }
  return parsed.accounts;
}

function parseState(value: unknown, path: string): SyncState {
  if (!isRecord(value) || !isCount(value.seq) || !isCount(value.cursor)) throw corrupt(path, 'bad "seq" or "cursor"');
  const { items, deletions } = value;
  if (!isRecord(items) || !Object.values(items).every(isSyncedItem)) throw corrupt(path, 'bad "items"');
  if (!isRecord(deletions) || !Object.values(deletions).every(isCount)) throw corrupt(path, 'bad "deletions"');
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

function corrupt(path: string, why: string): CliError {
  // Never overwritten: a damaged state could make sync send deletions it should not.
  return new CliError('corrupt_file', `${path} is damaged (${why}); it was left untouched: move it away to start over`);
}
