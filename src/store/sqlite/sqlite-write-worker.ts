import { parentPort, workerData } from 'node:worker_threads';
import { Kysely } from 'kysely';
import type { Database } from '../database-schema.js';
import { KyselyStore } from '../kysely-store.js';
import { openSqliteDatabase } from './sqlite-connection.js';
import { GroupCommit, MAX_GROUP_WRITES, type GroupOutcome } from './sqlite-group-commit.js';
import { serializeError, type WriteRequest, type WriteResponse } from './sqlite-write-protocol.js';

// The writer thread of a SQLite file store (sqlite-write-thread.ts): its own connection runs every
// write transaction, so the commit's fsync and the write's CPU keep off the server's event loop.
// Writes are handled in arrival order, in groups: those that arrived while the previous group was
// running and committing share the next transaction and its fsync (sqlite-group-commit.ts). SQLite
// has one writer at a time anyway.

const port = parentPort;
if (port === null) throw new Error('sqlite-write-worker runs as a worker thread');
const { path } = workerData as { path: string };
const database = openSqliteDatabase(path);
const group = new GroupCommit(database);
const store = new KyselyStore(new Kysely<Database>({ dialect: group.dialect() }), 'sqlite');

const queue: WriteRequest[] = [];
let scheduled = false;
let closing = false;
port.on('message', (request: WriteRequest) => {
  queue.push(request);
  schedule();
});
send({ ready: true });

/**
 * The next group starts once this turn's messages are all in: a message event runs per message, and
 * `setImmediate` only after the event loop has delivered every message that came meanwhile.
 */
function schedule(): void {
  if (scheduled || closing) return;
  scheduled = true;
  setImmediate(() => void drain());
}

async function drain(): Promise<void> {
  const first = queue[0];
  if (first?.method === 'close') {
    closing = true;
    await store.close();
    send({ id: first.id, value: null });
    port?.close();
    return;
  }
  // The writes up to the next close (it waits for them) or the group's limit.
  let size = 0;
  while (size < queue.length && size < MAX_GROUP_WRITES && queue[size]?.method !== 'close') size++;
  const writes = queue.splice(0, size) as Extract<WriteRequest, { args: unknown }>[];
  const outcomes = await group.run(
    writes.map((request) => () => {
      const args = request.args.map(asBuffer) as never[];
      return (store[request.method] as (...args: never[]) => Promise<unknown>).call(store, ...args);
    }),
  );
  writes.forEach((request, index) => {
    send(response(request.id, outcomes[index]));
  });
  scheduled = false;
  if (queue.length > 0) schedule();
}

function response(id: number, outcome: GroupOutcome | undefined): WriteResponse {
  if (outcome === undefined) return { id, error: serializeError(new Error('a write of the group was not run')) };
  return 'value' in outcome ? { id, value: outcome.value } : { id, error: serializeError(outcome.error) };
}

/** A user key or token hash arrives as a plain Uint8Array; better-sqlite3 binds Buffers as BLOBs. */
function asBuffer(value: unknown): unknown {
  if (!(value instanceof Uint8Array) || Buffer.isBuffer(value)) return value;
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function send(response: WriteResponse): void {
  port?.postMessage(response);
}
