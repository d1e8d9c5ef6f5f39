import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const builtModule = (name: string): string =>
  pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'dist', 'store', name)).href;

// Threads are counted in /proc/self/task of a fresh process, so no other test's worker is counted.
describe.skipIf(!existsSync('/proc/self/task'))('the SQLite writer thread start', () => {
  it('starts with the first write, not when the store opens (a server that has not written holds no second isolate)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'open2fa-writer-start-'));
    directories.push(directory);
    const script = [
      "import { readdirSync } from 'node:fs';",
      "import { readFile } from 'node:fs/promises';",
      `const { openStore } = await import(${JSON.stringify(builtModule('open-store.js'))});`,
      // Load what openStore loads and wake libuv's pool first: only the writer thread may differ.
      `await import(${JSON.stringify(builtModule('sqlite/sqlite-store.js'))});`,
      'await readFile(import.meta.filename);',
      "const threads = () => readdirSync('/proc/self/task').length;",
      'const before = threads();',
      `const store = await openStore({ databaseUrl: ${JSON.stringify(`sqlite:${join(directory, 'store.db')}`)} });`,
      'await store.listV1Body(new Uint8Array(32));',
      'const opened = threads();',
      "const pushed = await store.pushV1(new Uint8Array(32), [{ encSecret: 'c', name: null }], 10);",
      'const written = threads();',
      'await store.close();',
      'console.log(JSON.stringify({ before, opened, written, status: pushed.status }));',
    ].join('\n');
    const file = join(directory, 'threads.mjs');
    writeFileSync(file, script);
    const { stdout } = await promisify(execFile)(process.execPath, [file], { timeout: 10_000 });
    const counts = JSON.parse(stdout) as { before: number; opened: number; written: number; status: string };
    expect(counts.status).toBe('ok');
    expect(counts.opened).toBe(counts.before);
    expect(counts.written).toBeGreaterThan(counts.opened);
  });
});
