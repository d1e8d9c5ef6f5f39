import type { Store } from '../store.js';

/**
 * The store's writes, which on a SQLite file run on the writer thread (sqlite-write-thread.ts): each is
 * one savepoint in a transaction shared with the writes that arrived with it (sqlite-group-commit.ts),
 * answered once that transaction's commit is on disk (`synchronous=FULL`).
 */
export type WriteMethod = 'pushV1' | 'deleteV1' | 'deleteV1Account' | 'v2Put' | 'v2Delete' | 'v2DeleteAccount';

export type WriteArgs<M extends WriteMethod> = Parameters<Store[M]>;
export type WriteValue<M extends WriteMethod> = Awaited<ReturnType<Store[M]>>;

/** Where a store sends its writes: the writer thread, or (in tests) anything with the same contract. */
export interface StoreWriter {
  call<M extends WriteMethod>(method: M, args: WriteArgs<M>): Promise<WriteValue<M>>;
  close(): Promise<void>;
}

/** Main thread → writer thread: one write, or the request to close the database and stop. */
export type WriteRequest =
  | { readonly id: number; readonly method: WriteMethod; readonly args: readonly unknown[] }
  | { readonly id: number; readonly method: 'close' };

/** An error as it crosses threads: what the HTTP edge needs to tell "database unavailable" from a bug. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

/** Writer thread → main thread. `ready` comes once, after the database opened. */
export type WriteResponse =
  | { readonly ready: true }
  | { readonly ready?: undefined; readonly id: number; readonly value: unknown }
  | { readonly ready?: undefined; readonly id: number; readonly error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

/** The error again, with its name and code (SqliteError's `SQLITE_BUSY`, say), on this side. */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message) as Error & { code?: string };
  error.name = serialized.name;
  if (serialized.code !== undefined) error.code = serialized.code;
  return error;
}
