import type { Page } from 'playwright-core';

/** Everything the page keeps in this browser: localStorage, sessionStorage, cookies and every IndexedDB record. */
export async function storedEverywhere(page: Page): Promise<string> {
  const dump = await page.evaluate(async () => {
    const bytes = (value: ArrayBuffer | ArrayBufferView): string => {
      const view =
        value instanceof ArrayBuffer
          ? new Uint8Array(value)
          : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return [...view].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    };
    const plain = (value: unknown): unknown => {
      if (value instanceof ArrayBuffer || ArrayBuffer.isView(value))
        return {
          hex: bytes(value),
          b64: btoa(String.fromCharCode(...new Uint8Array(value instanceof ArrayBuffer ? value : value.buffer))),
        };
      if (value instanceof CryptoKey) return { cryptoKey: value.extractable, usages: value.usages };
      if (Array.isArray(value)) return value.map(plain);
      if (typeof value === 'object' && value !== null)
        return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
      return value;
    };
    const records: unknown[] = [];
    for (const info of await indexedDB.databases()) {
      if (info.name === undefined) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name ?? '');
        request.onsuccess = () => {
          resolve(request.result);
        };
        request.onerror = () => {
          reject(request.error ?? new Error('open'));
        };
      });
      for (const name of db.objectStoreNames) {
        const all = await new Promise<unknown[]>((resolve) => {
          const request = db.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => {
            resolve(request.result as unknown[]);
          };
        });
        const keys = await new Promise<unknown[]>((resolve) => {
          const request = db.transaction(name).objectStore(name).getAllKeys();
          request.onsuccess = () => {
            resolve(request.result);
          };
        });
        records.push({ name, keys, values: all.map(plain) });
      }
      db.close();
    }
    return JSON.stringify({
      local: Object.fromEntries(Object.entries(localStorage)),
      session: Object.fromEntries(Object.entries(sessionStorage)),
      cookies: document.cookie,
      records,
    });
  });
  const cookies = await page.context().cookies();
  return `${dump}\n${JSON.stringify(cookies)}`;
}
