import { isRecord } from '../../core/is-record.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// Types only: `list` must not load otpauth (see vault-entry.ts).
import type { Entry } from '../../core/entry/model.js';
import { ensurePrivateDir, writeFileAtomic } from './atomic-file.js';
import { makeEntry } from '../../core/entry/model.js';
import { CliError } from '../cli-error.js';
import { describeIoError, isSystemError } from '../cli-error.js';
import { toPythonJson } from './python-json.js';
import { assertVaultLocked, type VaultLocker } from './vault-lock.js';
import { sameSecret, storedSecretForm } from './secret-rules.js';
import { entryFields, readEntryParts, type EntryParts } from './vault-entry.js';

export const SECRETS_FILE = 'secrets.json';

/**
 * One stored entry, with every other field of its JSON object kept for the rewrite. The secret is in
 * the form open2fa 1.x reads (`storedSecretForm`); v1 ciphertexts are computed over this string.
 */
export interface SecretEntry extends Entry {
  readonly raw: Readonly<Record<string, unknown>>;
}

/** The content of `secrets.json`: the entries and the other top-level fields, kept as they were. */
export interface Vault {
  readonly entries: readonly SecretEntry[];
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * A new entry as the Python client writes it, `secret` then `name`, followed by the parameters
 * that differ from the defaults (an entry with only defaults stays in the Python layout).
 */
export function newEntry(typed: string, name: string | null, parts: EntryParts = {}): SecretEntry {
  const secret = storedSecretForm(typed);
  const entry = makeEntry(secret, name, parts);
  return { ...entry, raw: { secret, name } };
}

/** The same entry under another name; its other fields stay. */
export function renameEntry(entry: SecretEntry, name: string | null): SecretEntry {
  return { ...entry, name, raw: { ...entry.raw, name } };
}

/** The same entry with its next HOTP counter. */
export function advanceCounter(entry: SecretEntry): SecretEntry {
  return { ...entry, counter: entry.counter + 1 };
}

/** Reads `secrets.json`; a missing file is an empty vault, a damaged one a `corrupt_file` error. */
export function loadVault(dir: string): Promise<Vault> {
  // Read synchronously: a CLI has nothing to do meanwhile, and the first asynchronous file read
  // starts libuv's thread pool, which `open2fa code` would otherwise pay for at every run.
  return new Promise((resolve) => {
    resolve(readVault(dir));
  });
}

function readVault(dir: string): Vault {
  const path = join(dir, SECRETS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isSystemError(error) && error.code === 'ENOENT') return { entries: [], raw: { secrets: [] } };
    throw new CliError('io_failed', `cannot read ${path}: ${describeIoError(error)}`, { cause: error });
  }
  return parseVault(text, path);
}

/** Parses the text of `secrets.json`; `path` only names the file in error messages. */
export function parseVault(text: string, path: string): Vault {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw corrupt(path, 'it is not valid JSON');
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.secrets)) {
    throw corrupt(path, 'expected an object with a "secrets" list');
  }
  const entries = parsed.secrets.map((item: unknown, index) => parseEntry(item, index, path));
  return { entries, raw: parsed };
}

/**
 * Writes the vault atomically, creating the directory (0700) and the file (0600) when needed. Only
 * inside `withVaultLock`, with the vault read inside it too, so no other command's change is lost.
 */
export async function saveVault(dir: string, vault: Vault): Promise<void> {
  assertVaultLocked(dir);
  const path = join(dir, SECRETS_FILE);
  try {
    await ensurePrivateDir(dir);
    await writeFileAtomic(path, serializeVault(vault));
  } catch (error) {
    throw new CliError('io_failed', `cannot write ${path}: ${describeIoError(error)}`, { cause: error });
  }
}

/** The file text: the original top-level object with its `secrets` replaced, in Python's layout. */
export function serializeVault(vault: Vault): string {
  const secrets = vault.entries.map((entry) => ({
    ...entry.raw,
    secret: entry.secret,
    name: entry.name,
    ...entryFields(entry),
  }));
  return toPythonJson({ ...vault.raw, secrets });
}

function parseEntry(item: unknown, index: number, path: string): SecretEntry {
  const position = `entry ${String(index + 1)}`;
  if (!isRecord(item) || typeof item.secret !== 'string') {
    throw corrupt(path, `${position} has no "secret" text`);
  }
  const name = item.name ?? null;
  if (name !== null && typeof name !== 'string') throw corrupt(path, `the name of ${position} is not text`);
  const parts = readEntryParts(item);
  if (typeof parts === 'string') throw corrupt(path, `${position}: ${parts}`);
  // A secret 1.x cannot decode (written by an older version of this CLI) is rewritten in the form it reads.
  return { ...makeEntry(storedSecretForm(item.secret), name, parts), raw: item };
}

function corrupt(path: string, why: string): CliError {
  return new CliError(
    'corrupt_file',
    `${path} is damaged (${why}); it was left untouched: fix or move it away, then try again`,
  );
}

/**
 * Adds the pulled secrets that are not stored yet (same secret, however spelled), in order, and saves
 * once; answers how many were added. Pulls never rename or remove local entries. Reads and writes under
 * the vault lock (taken with `lock`), so what another command stored meanwhile is kept.
 */
export async function addMissingSecrets(
  lock: VaultLocker,
  dir: string,
  secrets: readonly { readonly secret: string; readonly name: string | null }[],
): Promise<number> {
  return lock(dir, async () => {
    const vault = await loadVault(dir);
    const added: SecretEntry[] = [];
    for (const item of secrets) {
      const known = [...vault.entries, ...added].some((entry) => sameSecret(entry.secret, item.secret));
      if (!known) added.push(newEntry(item.secret, item.name));
    }
    if (added.length > 0) await saveVault(dir, { ...vault, entries: [...vault.entries, ...added] });
    return added.length;
  });
}
