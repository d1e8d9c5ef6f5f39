import { parentPort, workerData } from 'node:worker_threads';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database-schema.js';
import { KyselyStore } from '../kysely-store.js';
import { openSqliteDatabase, withStatementCache } from './sqlite-connection.js';
import { serializeError, type WriteRequest, type WriteResponse } from './sqlite-write-protocol.js';

// The writer thread of a SQLite file store (sqlite-write-thread.ts): its own connection runs every
// write transaction, so the commit's fsync and the write's CPU keep off the server's event loop.
// Requests are handled one at a time, in order; SQLite has one writer at a time anyway.

const port = parentPort;
if (port === null) throw new Error('sqlite-write-worker runs as a worker thread');
const { path } = workerData as { path: string };
const database = openSqliteDatabase(path);
const store = new KyselyStore(
  new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }),
  'sqlite',
);

let queue = Promise.resolve();
port.on('message', (request: WriteRequest) => {
  queue = queue.then(() => handle(request));
});
send({ ready: true });

async function handle(request: WriteRequest): Promise<void> {
  if (request.method === 'close') {
    await store.close();
    send({ id: request.id, value: null });
    port?.close();
    return;
  }
  try {
    const method = request.method;
    const args = request.args.map(asBuffer) as never[];
    send({
      id: request.id,
      value: await (store[method] as (...args: never[]) => Promise<unknown>).call(store, ...args),
    });
  } catch (error) {
    send({ id: request.id, error: serializeError(error) });
  }
}

/** A user key or token hash arrives as a plain Uint8Array; better-sqlite3 binds Buffers as BLOBs. */
function asBuffer(value: unknown): unknown {
  if (!(value instanceof Uint8Array) || Buffer.isBuffer(value)) return value;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function send(response: WriteResponse): void {
  port?.postMessage(response);
}
