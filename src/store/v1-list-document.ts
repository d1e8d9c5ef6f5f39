import type { V1Entry } from './store.js';

/**
 * The stored form of a user's v1 list: the JSON array the v1 API answers in `totps`
 * (`[{"enc_secret":"…","name":…}]`, insertion order). That wire format is frozen by the open2fa 1.x
 * clients, so storing it serialised is safe, and a pull sends it without rebuilding it.
 */
export function v1ListDocument(entries: readonly V1Entry[]): string {
  return JSON.stringify(entries.map((entry) => ({ enc_secret: entry.encSecret, name: entry.name })));
}

/** The document of a user who has no list yet (created by an empty push). */
export const EMPTY_LIST_DOCUMENT = '[]';
