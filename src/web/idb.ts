/**
 * The page's one IndexedDB database: `copy` (offline ciphertexts), `lock` (the wrapped device key),
 * `trash` (shown and recently deleted envelopes, trash/trash-store.ts). Version 2 added `trash`.
 */
const DB_NAME = 'open2fa';
const STORES = ['copy', 'lock', 'trash'] as const;
export type IdbStoreName = (typeof STORES)[number];

let opened: Promise<IDBDatabase> | undefined;

function openDb(): Promise<IDBDatabase> {
  let blocked = false;
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = () => {
      for (const name of STORES)
        if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
    };
    request.onsuccess = () => {
      const db = request.result;
      // A newer build's upgrade must not wait for this tab: close, and open again on the next call.
      db.onversionchange = () => {
        db.close();
        opened = undefined;
      };
      if (blocked) opened = Promise.resolve(db);
      else resolve(db);
    };
    request.onerror = () => {
      reject(request.error ?? new Error('IndexedDB is not available'));
    };
    // A tab of an older build holds version 1 open: every call fails at once (each caller copes)
    // until that tab lets go, rather than queueing behind this request and hanging.
    request.onblocked = () => {
      blocked = true;
      reject(new Error('IndexedDB is held by another tab of an older version'));
    };
  }).catch((error: unknown) => {
    if (!blocked) opened = undefined;
    throw error;
  });
  return opened;
}

function run<T>(
  name: IdbStoreName,
  mode: IDBTransactionMode,
  act: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return openDb().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const transaction = db.transaction(name, mode);
        const request = act(transaction.objectStore(name));
        transaction.oncomplete = () => {
          resolve(request.result);
        };
        transaction.onerror = () => {
          reject(transaction.error ?? new Error('IndexedDB transaction failed'));
        };
      }),
  );
}

export function idbGet(name: IdbStoreName, key: string): Promise<unknown> {
  return run(name, 'readonly', (store) => store.get(key) as IDBRequest<unknown>);
}

export async function idbPut(name: IdbStoreName, key: string, value: unknown): Promise<void> {
  await run(name, 'readwrite', (store) => store.put(value, key));
}

export async function idbDelete(name: IdbStoreName, key: string): Promise<void> {
  await run(name, 'readwrite', (store) => store.delete(key));
}

/** Empties every store (Forget this device). */
export async function idbClear(): Promise<void> {
  for (const name of STORES) await run(name, 'readwrite', (store) => store.clear());
}

/** The three calls the lazy device-lock chunk needs, as one value to pass to it. */
export const IDB = { get: idbGet, put: idbPut, delete: idbDelete } as const;
