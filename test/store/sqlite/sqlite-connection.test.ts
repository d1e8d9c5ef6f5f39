import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../../src/store/sqlite/sqlite-connection.js';

// The SIGKILL test (test/server/write-durability.test.ts) cannot see a missing fsync: a killed
// process's writes survive in the OS cache. What makes an acknowledged write survive power loss is
// the writer connection's settings, checked here on the function the writer thread opens it with.
describe('the SQLite writer connection', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'open2fa-sqlite-connection-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('commits with a full fsync in WAL mode, and the file is the owner’s only', async () => {
    const path = join(dir, 'data', 'open2fa.db');
    const database = openSqliteDatabase(path);
    try {
      // 2 = FULL: the WAL is synced at every commit (NORMAL, 1, loses the last commits on power loss).
      expect(database.pragma('synchronous', { simple: true })).toBe(2);
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(database.pragma('foreign_keys', { simple: true })).toBe(1);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'data'))).mode & 0o777).toBe(0o700);
    } finally {
      database.close();
    }
  });
});
