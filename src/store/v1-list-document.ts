import type { V1Entry } from './store.js';

/**
 * The stored form of a user's v1 list: the exact body `GET /api/v1/totps` answers
 * (`{"totps":[{"enc_secret":"…","name":…}]}`, insertion order), as UTF-8 bytes. That wire format is
 * frozen by the open2fa 1.x clients, so keeping it serialised is safe, and a pull sends the stored
 * bytes without decoding, rebuilding or re-encoding anything.
 */
export function v1ListBody(entries: readonly V1Entry[]): Buffer {
  return Buffer.from(
    JSON.stringify({ totps: entries.map((entry) => ({ enc_secret: entry.encSecret, name: entry.name })) }),
    'utf8',
  );
}

/** The body for a user who exists but has never stored an entry (created by an empty push or by v2). */
export function emptyV1ListBody(): Buffer {
  return Buffer.from('{"totps":[]}', 'utf8');
}
