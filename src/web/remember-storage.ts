/**
 * What a person chose to keep in this browser: the ID, and which lock (a PIN or a passkey, kept by
 * `device-lock.ts` in IndexedDB) opens it. `secret` is only ever read, from pages before the lock
 * existed: `unlock-controls.ts` migrates it and wipes it.
 */
export interface Remembered {
  readonly id: string;
  readonly secret?: string;
  readonly lock?: 'pin' | 'passkey';
}

const STORAGE_KEY = 'open2fa.remember';

/** Reads the remembered credentials; storage that is disabled or holds junk counts as nothing. */
export function loadRemembered(storage: Storage | null = safeLocalStorage()): Remembered | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (raw === null || raw === undefined) return null;
    const value = JSON.parse(raw) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { id, secret, lock } = value as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') return null;
    return {
      id,
      ...(typeof secret === 'string' && secret !== '' ? { secret } : {}),
      ...(lock === 'pin' || lock === 'passkey' ? { lock } : {}),
    };
  } catch {
    return null;
  }
}

/** Keeps the ID and the kind of lock; never a Secret. */
export function saveRemembered(value: Omit<Remembered, 'secret'>, storage: Storage | null = safeLocalStorage()): void {
  try {
    const kept: Remembered = value.lock === undefined ? { id: value.id } : { id: value.id, lock: value.lock };
    storage?.setItem(STORAGE_KEY, JSON.stringify(kept));
  } catch {
    // Private mode or a full quota: remembering is a convenience, never a reason to fail.
  }
}

/** Wipes everything the page ever stored. */
export function forgetRemembered(storage: Storage | null = safeLocalStorage()): void {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored can be read either.
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage;
  } catch {
    return null;
  }
}
