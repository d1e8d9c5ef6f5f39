import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/open-store.js';
import { isDatabaseUnavailable } from '../../../src/store/store-errors.js';
import { deserializeError, serializeError } from '../../../src/store/sqlite/sqlite-write-protocol.js';
import type { KyselyStore } from '../../../src/store/kysely-store.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function freshPath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'open2fa-writer-'));
  directories.push(directory);
  return join(directory, 'store.db');
}

const alice = new Uint8Array(32).fill(7);
const entry = { encSecret: 'ciphertext', name: 'Bank' };

describe('the SQLite writer thread', () => {
  it('keeps the event loop running while a write waits for the database', async () => {
    const path = freshPath();
    const store = await openStore({ databaseUrl: `sqlite:${path}` });
    // Another connection holds the write lock: the store's write waits (busy_timeout) until it is let go.
    const holder = new SqliteDatabase(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      let settled = false;
      const push = store.pushV1(alice, [entry], 100).finally(() => (settled = true));
      // On the event loop, SQLite's wait would stop this timer until the write gave up 5 s later.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(settled).toBe(false);
      expect(await store.listV1Body(alice)).toBeNull(); // reads go on meanwhile
      holder.exec('ROLLBACK');
      expect(await push).toMatchObject({ status: 'ok', userCreated: true });
      expect((await store.listV1Body(alice))?.toString('utf8')).toBe(
        '{"totps":[{"enc_secret":"ciphertext","name":"Bank"}]}',
      );
    } finally {
      holder.close();
      await store.close();
    }
  });

  it('finishes the writes in flight when the store closes, and they are on disk', async () => {
    const path = freshPath();
    const store: KyselyStore = await openStore({ databaseUrl: `sqlite:${path}` });
    const pushes = Array.from({ length: 20 }, (_, index) =>
      store.pushV1(alice, [{ encSecret: `c${String(index)}`, name: null }], 100),
    );
    await store.close();
    for (const push of await Promise.all(pushes)) expect(push.status).toBe('ok');
    await expect(store.pushV1(alice, [entry], 100)).rejects.toThrow(/closed/);
    const reopened = await openStore({ databaseUrl: `sqlite:${path}` });
    try {
      expect(await reopened.listV1(alice)).toHaveLength(20);
    } finally {
      await reopened.close();
    }
  });

  it('does not keep the process alive when idle, whether it has written or not', async () => {
    const openStoreModule = pathToFileURL(
      join(import.meta.dirname, '..', '..', '..', 'dist', 'store', 'open-store.js'),
    ).href;
    for (const write of ['', 'await store.pushV1(new Uint8Array(32), [], 10);']) {
      const script =
        `const { openStore } = await import(${JSON.stringify(openStoreModule)});` +
        `const store = await openStore({ databaseUrl: ${JSON.stringify(`sqlite:${freshPath()}`)} });` +
        `${write} console.log('done');`;
      // Left open on purpose: an open but idle store must not hold the process (execFile's timeout would).
      const file = join(mkdtempSync(join(tmpdir(), 'open2fa-idle-')), 'idle.mjs');
      directories.push(dirname(file));
      writeFileSync(file, script);
      const { stdout } = await promisify(execFile)(process.execPath, [file], { timeout: 10_000 });
      expect(stdout).toBe('done\n');
    }
  });

  it('brings a database error across with its code, so the edge still answers 503', () => {
    const busy = Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' });
    const crossed = deserializeError(serializeError(busy));
    expect(crossed).toMatchObject({ name: 'SqliteError', message: 'database is locked', code: 'SQLITE_BUSY' });
    expect(isDatabaseUnavailable(crossed)).toBe(true);
    expect(isDatabaseUnavailable(deserializeError(serializeError(new TypeError('a bug'))))).toBe(false);
  });
});
