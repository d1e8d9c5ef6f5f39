import { printable } from '../core/printable.js';
import { encryptV1 } from '../core/v1/cipher.js';
import { openV1List } from '../core/v1/open.js';
import { makeEntry } from '../core/entry/model.js';
import type { V1StoredTotp } from '../core/v1/wire.js';
import type { ShownEntry } from './app-state.js';

export interface DecryptedEntries {
  readonly entries: ShownEntry[];
  /** Entries whose ciphertext the key does not open, or that do not hold a base32 secret. */
  readonly failed: number;
}

/** Decrypts what the server stores, by core/v1's rule (`openV1List`, shared with the CLI). */
export async function decryptEntries(
  key: Uint8Array<ArrayBuffer>,
  stored: readonly V1StoredTotp[],
): Promise<DecryptedEntries> {
  const { opened, failed } = await openV1List(key, stored);
  const entries = opened.map(({ totp, canonical }) => v1Entry(totp.enc_secret, totp.name, canonical));
  return { entries: sortEntries(entries), failed: failed.length };
}

/**
 * A v1 entry: always TOTP with SHA1, 6 digits and 30 s, since v1 stores nothing but the secret. Its
 * name is in clear on the server, so anyone there can write it: no control or bidi character is kept.
 */
export function v1Entry(encSecret: string, name: string | null, secret: string): ShownEntry {
  const shown = name === null ? null : printable(name);
  return { ...makeEntry(secret, shown), key: `v1:${encSecret}`, storage: { protocol: 'v1', encSecret } };
}

/** The `enc_secret` of a canonical base32 secret (deterministic in v1, so it doubles as the entry's key). */
export function encryptSecret(key: Uint8Array<ArrayBuffer>, secret: string): Promise<string> {
  return encryptV1(key, secret);
}

/** Named entries by name (case-insensitive, then as stored), unnamed ones last. */
export function sortEntries<T extends Pick<ShownEntry, 'key' | 'name'>>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => {
    if (a.name === b.name) return a.key < b.key ? -1 : 1;
    if (!a.name) return 1;
    if (!b.name) return -1;
    return a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || (a.name < b.name ? -1 : 1);
  });
}

/** Entries whose display name contains every word of `query`, ignoring case. */
export function filterEntries<T extends Pick<ShownEntry, 'name'>>(entries: readonly T[], query: string): readonly T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return entries;
  return entries.filter((entry) => {
    const name = displayName(entry).toLowerCase();
    return words.every((word) => name.includes(word));
  });
}

export function displayName(entry: Pick<ShownEntry, 'name'>): string {
  return entry.name?.trim() ? entry.name : 'Unnamed';
}

/** `123456` → `123 456`, `12345678` → `1234 5678`: easier to read and type. */
export function groupCode(code: string): string {
  const half = Math.floor(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}
