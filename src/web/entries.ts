import { decryptV1, encryptV1 } from '../core/v1/cipher.js';
import { normalizeBase32 } from '../core/encoding.js';
import { makeEntry } from '../core/entry/model.js';
import type { V1StoredTotp } from '../core/v1/wire.js';
import type { Entry } from './app-state.js';

export interface DecryptedEntries {
  readonly entries: Entry[];
  /** Entries whose ciphertext the key does not open, or that do not hold a base32 secret. */
  readonly failed: number;
}

/**
 * Decrypts what the server stores. The v1 cipher is unauthenticated, so a wrong key is recognised by
 * bad padding, bytes that are not UTF-8, or a plaintext that is not a base32 secret.
 */
export async function decryptEntries(
  key: Uint8Array<ArrayBuffer>,
  stored: readonly V1StoredTotp[],
): Promise<DecryptedEntries> {
  const results = await Promise.all(stored.map((item) => decryptEntry(key, item)));
  const entries = results.filter((entry): entry is Entry => entry !== null);
  return { entries: sortEntries(entries), failed: results.length - entries.length };
}

async function decryptEntry(key: Uint8Array<ArrayBuffer>, item: V1StoredTotp): Promise<Entry | null> {
  try {
    const secret = normalizeBase32(await decryptV1(key, item.enc_secret));
    return secret === null ? null : v1Entry(item.enc_secret, item.name ?? null, secret);
  } catch {
    // Open2faError 'decrypt_failed' / 'invalid_ciphertext': counted, never shown as a row.
    return null;
  }
}

/** A v1 entry: always TOTP with SHA1, 6 digits and 30 s, since v1 stores nothing but the secret. */
export function v1Entry(encSecret: string, name: string | null, secret: string): Entry {
  return { ...makeEntry(secret, name), key: `v1:${encSecret}`, storage: { protocol: 'v1', encSecret } };
}

/** The `enc_secret` of a canonical base32 secret (deterministic in v1, so it doubles as the entry's key). */
export function encryptSecret(key: Uint8Array<ArrayBuffer>, secret: string): Promise<string> {
  return encryptV1(key, secret);
}

/** Named entries by name (case-insensitive, then as stored), unnamed ones last. */
export function sortEntries<T extends Pick<Entry, 'key' | 'name'>>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => {
    if (a.name === b.name) return a.key < b.key ? -1 : 1;
    if (!a.name) return 1;
    if (!b.name) return -1;
    return a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || (a.name < b.name ? -1 : 1);
  });
}

/** Entries whose display name contains every word of `query`, ignoring case. */
export function filterEntries<T extends Pick<Entry, 'name'>>(entries: readonly T[], query: string): readonly T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries;
  return entries.filter((entry) => {
    const name = displayName(entry).toLowerCase();
    return words.every((word) => name.includes(word));
  });
}

export function displayName(entry: Pick<Entry, 'name'>): string {
  return entry.name?.trim() ? entry.name : 'Unnamed';
}

/** `123456` → `123 456`, `12345678` → `1234 5678`: easier to read and type. */
export function groupCode(code: string): string {
  const half = Math.floor(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}
