import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  deserializeError,
  type WriteArgs,
  type WriteMethod,
  type WriteRequest,
  type StoreWriter,
  type WriteResponse,
  type WriteValue,
} from './sqlite-write-protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * The writes of a SQLite file store, run on a worker thread with its own connection
 * (sqlite-write-worker.ts). better-sqlite3 is synchronous: on the event loop, every commit's fsync
 * (`synchronous=FULL`) would stop every other request for its duration, a few hundred µs on an SSD and
 * milliseconds on an SD card. Here reads go on while a write commits, and the answer to a write is
 * still sent only once it is on disk.
 */
export class SqliteWriteThread implements StoreWriter {
  readonly #path: string;
  readonly #pending = new Map<number, Pending>();
  #worker: Promise<Worker> | undefined;
  #nextId = 0;
  #closed = false;

  private constructor(path: string) {
    this.#path = path;
  }

  /** Starts the thread and waits until its connection is open (a bad path fails here, at start-up). */
  static async start(path: string): Promise<SqliteWriteThread> {
    const thread = new SqliteWriteThread(path);
    await thread.#started();
    return thread;
  }

  /** Runs one store write on the thread; its errors come back with their name and code. */
  async call<M extends WriteMethod>(method: M, args: WriteArgs<M>): Promise<WriteValue<M>> {
    if (this.#closed) throw new Error('the store is closed');
    return (await this.#send({ id: this.#nextId++, method, args })) as WriteValue<M>;
  }

  /** Lets the writes already sent finish, closes the connection and ends the thread. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const worker = await this.#worker?.catch(() => undefined);
    if (worker === undefined) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await this.#send({ id: this.#nextId++, method: 'close' }).catch(() => undefined);
    await exited;
  }

  async #send(request: WriteRequest): Promise<unknown> {
    const worker = await this.#started();
    return new Promise((resolve, reject) => {
      this.#pending.set(request.id, { resolve, reject });
      // A write (or the close) in flight keeps the process alive, as any other pending I/O does.
      worker.ref();
      worker.postMessage(request);
    });
  }

  /** The running thread; after a crash (a bug, not a database error) the next write starts a new one. */
  #started(): Promise<Worker> {
    this.#worker ??= new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(workerUrl(), { workerData: { path: this.#path } });
      // An idle writer must not keep the process alive; a write in flight does (see #send).
      worker.unref();
      worker.on('message', (response: WriteResponse) => {
        if (response.ready === true) {
          resolve(worker);
          return;
        }
        const pending = this.#pending.get(response.id);
        this.#pending.delete(response.id);
        // Once closing, the thread stays referenced until it has exited (close() waits for that).
        if (this.#pending.size === 0 && !this.#closed) worker.unref();
        if ('error' in response) pending?.reject(deserializeError(response.error));
        else pending?.resolve(response.value);
      });
      worker.on('error', (error) => {
        reject(error);
        this.#failAll(error);
      });
      worker.on('exit', (code) => {
        this.#worker = undefined;
        const error = new Error(`the SQLite writer thread stopped (exit ${String(code)})`);
        reject(error);
        this.#failAll(error);
      });
    });
    return this.#worker;
  }

  #failAll(cause: Error): void {
    for (const pending of this.#pending.values()) {
      pending.reject(Object.assign(new Error('the SQLite writer thread failed', { cause }), { code: 'SQLITE_IOERR' }));
    }
    this.#pending.clear();
  }
}

/**
 * The compiled worker beside this file (dist/store). Under vitest this file runs from src/, and Node
 * cannot start a TypeScript worker: the build's is used then (`npm test` builds first).
 */
function workerUrl(): URL {
  const beside = new URL('./sqlite-write-worker.js', import.meta.url);
  if (existsSync(beside)) return beside;
  const built = new URL('../../dist/store/sqlite-write-worker.js', import.meta.url);
  if (existsSync(built)) return built;
  throw new Error('dist/store/sqlite-write-worker.js is missing: run `npm run build` first');
}
