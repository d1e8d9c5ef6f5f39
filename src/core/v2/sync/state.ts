import { encodeBase64Url, normalizeBase32, utf8ToBytes } from '../../encoding.js';
import type { Entry } from '../../entry/model.js';
import { entryContent } from '../cipher.js';
import { CONFLICT_SUFFIX, type Fingerprints, type SyncState, type SyncWrite } from './types.js';

/** Fingerprints and state updates around a v2 sync: what identifies an entry, and what a write changes. */

/** SHA-256 of the entry's canonical content (base64url): equal exactly when the synced content is. */
export async function entryFingerprint(entry: Entry): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', utf8ToBytes(entryContent(entry)));
  return encodeBase64Url(new Uint8Array(digest));
}

/** SHA-256 of the secret in canonical base32: the same key, however it was typed. */
export async function secretFingerprint(secret: string): Promise<string> {
  const canonical = normalizeBase32(secret.trim()) ?? secret.trim();
  const digest = await globalThis.crypto.subtle.digest('SHA-256', utf8ToBytes(`open2fa secret|${canonical}`));
  return encodeBase64Url(new Uint8Array(digest));
}

/** Both fingerprints of an entry. */
export async function fingerprintsOf(entry: Entry): Promise<Fingerprints> {
  const [fingerprint, secret] = await Promise.all([entryFingerprint(entry), secretFingerprint(entry.secret)]);
  return { fingerprint, secret };
}

/** The local copy of a concurrently edited entry, kept beside the remote version. */
export function conflictCopy(entry: Entry): Entry {
  return { ...entry, name: `${entry.name ?? 'unnamed'}${CONFLICT_SUFFIX}` };
}

/**
 * The state after a write the server accepted: `rev` is the new revision. A put's fingerprints are
 * those of the entry sent; a delete forgets the item.
 */
export function applyWrite(
  state: SyncState,
  write: SyncWrite,
  rev: number,
  fingerprints: Fingerprints | null,
): SyncState {
  const items = new Map(Object.entries(state.items));
  const deletions = new Map(Object.entries(state.deletions));
  deletions.delete(write.id);
  // What this device writes is always sealed with its revision.
  if (write.kind === 'put' && fingerprints !== null) items.set(write.id, { rev, ...fingerprints, sealed: true });
  else items.delete(write.id);
  return { ...state, items: Object.fromEntries(items), deletions: Object.fromEntries(deletions) };
}
