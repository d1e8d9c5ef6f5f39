/** What a person chose to keep in this browser. The Secret only after a second, explicit opt-in. */
export interface Remembered {
  readonly id: string;
  readonly secret?: string;
}

const STORAGE_KEY = 'open2fa.remember';

/** Reads the remembered credentials; storage that is disabled or holds junk counts as nothing. */
export function loadRemembered(storage: Storage | null = safeLocalStorage()): Remembered | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (raw === null || raw === undefined) return null;
    const value = JSON.parse(raw) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { id, secret } = value as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') return null;
    return typeof secret === 'string' && secret !== '' ? { id, secret } : { id };
  } catch {
    return null;
  }
}

export function saveRemembered(value: Remembered, storage: Storage | null = safeLocalStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(value));
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
