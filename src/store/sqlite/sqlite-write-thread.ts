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

/** One worker and the requests sent to it: when it dies, only its own requests fail. */
interface Generation {
  readonly ready: Promise<Worker>;
  readonly pending: Map<number, Pending>;
  dead: boolean;
}

/**
 * The writes of a SQLite file store, run on a worker thread with its own connection
 * (sqlite-write-worker.ts). better-sqlite3 is synchronous: on the event loop, every commit's fsync
 * (`synchronous=FULL`) would stop every other request for its duration, a few hundred µs on an SSD and
 * milliseconds on an SD card. Here reads go on while a write commits, and the answer to a write is
 * still sent only once it is on disk. The writes sent while the thread is busy share its next commit
 * (group commit, sqlite-group-commit.ts).
 */
export class SqliteWriteThread implements StoreWriter {
  readonly #path: string;
  #generation: Generation | undefined;
  #nextId = 0;
  #closed = false;

  private constructor(path: string) {
    this.#path = path;
  }

  /** Starts the thread and waits until its connection is open (a bad path fails here, at start-up). */
  static async start(path: string): Promise<SqliteWriteThread> {
    const thread = new SqliteWriteThread(path);
    await thread.#current().ready;
    return thread;
  }

  /**
   * The thread, started by the first write instead (which waits for its connection): until a server
   * writes, it holds no second V8 isolate, about 16 MiB of its idle memory (bench/profile-notes.md).
   * The database was already opened and migrated on the event loop, so a bad path fails at start-up still,
   * and so does a missing worker file (found here, without starting the thread).
   */
  static startOnFirstWrite(path: string): SqliteWriteThread {
    workerUrl();
    return new SqliteWriteThread(path);
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
    const generation = this.#generation;
    const worker = await generation?.ready.catch(() => undefined);
    if (generation === undefined || worker === undefined || generation.dead) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await this.#send({ id: this.#nextId++, method: 'close' }).catch(() => undefined);
    await exited;
  }

  async #send(request: WriteRequest): Promise<unknown> {
    const generation = this.#current();
    const worker = await generation.ready;
    if (generation.dead) throw new Error('the SQLite writer thread failed');
    return new Promise((resolve, reject) => {
      generation.pending.set(request.id, { resolve, reject });
      // A write (or the close) in flight keeps the process alive, as any other pending I/O does.
      worker.ref();
      worker.postMessage(request);
    });
  }

  /** The running thread; after a crash (a bug, not a database error) the next write starts a new one. */
  #current(): Generation {
    if (this.#generation !== undefined && !this.#generation.dead) return this.#generation;
    const pending = new Map<number, Pending>();
    const ready = new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(workerUrl(), { workerData: { path: this.#path } });
      // Referenced while it starts and while a write is in flight (see #send); an idle writer must not
      // keep the process alive. A 'message' listener references the worker, so `unref` comes after it.
      worker.on('message', (response: WriteResponse) => {
        if (response.ready !== true) {
          const request = pending.get(response.id);
          pending.delete(response.id);
          if ('error' in response) request?.reject(deserializeError(response.error));
          else request?.resolve(response.value);
        } else {
          resolve(worker);
        }
        // Once closing, the thread stays referenced until it has exited (close() waits for that).
        if (pending.size === 0 && !this.#closed) worker.unref();
      });
      const die = (cause: Error): void => {
        generation.dead = true;
        reject(cause);
        // The writes in flight fail as a bug does (500, logged with its cause), not as an unavailable
        // database (503): nothing says that retrying would help.
        for (const request of pending.values()) request.reject(new Error('the SQLite writer thread failed', { cause }));
        pending.clear();
      };
      worker.on('error', die);
      worker.on('exit', (code) => {
        die(new Error(`the SQLite writer thread stopped (exit ${String(code)})`));
      });
    });
    // Handled here too: a thread that fails to start is reported by the call that waits for it.
    ready.catch(() => undefined);
    const generation: Generation = { ready, pending, dead: false };
    this.#generation = generation;
    return generation;
  }
}

/**
 * The compiled worker beside this file (dist/store/sqlite). Under vitest this file runs from src/, and
 * Node cannot start a TypeScript worker: the build's is used then (`npm test` builds first).
 */
function workerUrl(): URL {
  const beside = new URL('./sqlite-write-worker.js', import.meta.url);
  if (existsSync(beside)) return beside;
  const built = new URL('../../../dist/store/sqlite/sqlite-write-worker.js', import.meta.url);
  if (existsSync(built)) return built;
  throw new Error('dist/store/sqlite/sqlite-write-worker.js is missing: run `npm run build` first');
}
