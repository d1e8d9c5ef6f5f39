import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from '../../core/is-record.js';
import { CliError } from '../cli-error.js';
import { describeIoError, isSystemError } from '../cli-error.js';
import { ensurePrivateDir, writeFileAtomic } from './atomic-file.js';
import { assertVaultLocked } from './vault-lock.js';

/**
 * What this device knows of a mixed account's v1 copies (issue #16), beside `secrets.json`: per
 * account (the key of `sync-v2.json`) and per secret fingerprint (`secretFingerprint`, never the
 * secret), the name the v1 copy had when this device last mirrored it. It tells a v1 copy this
 * device deleted or renamed (remove it) from one a 1.x client added (pull it), and a 1.x rename
 * (take it) from a local one. The Python client never reads it.
 */
export const V1_COPIES_FILE = 'v1-copies.json';
const VERSION = 1;

/** One secret this device held at a sync: `mirrored` when a v1 copy of it was kept, under `name`. */
export interface KnownCopy {
  readonly name: string | null;
  readonly mirrored: boolean;
}

/** Secret fingerprint → what this device last knew of its v1 copy. */
export type KnownCopies = Readonly<Record<string, KnownCopy>>;

/** The known copies of one account; a missing file (or account) knows none. */
export async function loadKnownCopies(dir: string, account: string): Promise<KnownCopies> {
  const path = join(dir, V1_COPIES_FILE);
  const accounts = await readAccounts(path);
  const copies = accounts[account];
  if (copies === undefined) return {};
  if (!isRecord(copies) || !Object.values(copies).every(isKnownCopy)) throw corrupt(path, 'bad copies');
  return copies as KnownCopies;
}

/** Replaces one account's known copies atomically (0600), keeping the others. Under the vault lock. */
export async function saveKnownCopies(dir: string, account: string, copies: KnownCopies): Promise<void> {
  assertVaultLocked(dir);
  const path = join(dir, V1_COPIES_FILE);
  const accounts = { ...(await readAccounts(path)), [account]: copies };
  try {
    await ensurePrivateDir(dir);
    await writeFileAtomic(path, `${JSON.stringify({ version: VERSION, accounts }, null, 1)}\n`);
  } catch (error) {
    throw new CliError('io_failed', `cannot write ${path}: ${describeIoError(error)}`, { cause: error });
  }
}

async function readAccounts(path: string): Promise<Record<string, unknown>> {
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

function isKnownCopy(value: unknown): value is KnownCopy {
  return (
    isRecord(value) && (value.name === null || typeof value.name === 'string') && typeof value.mirrored === 'boolean'
  );
}

function corrupt(path: string, why: string): CliError {
  // Never overwritten: a damaged record could make a push delete v1 copies it should not.
  return new CliError('corrupt_file', `${path} is damaged (${why}); it was left untouched: move it away to start over`);
}
