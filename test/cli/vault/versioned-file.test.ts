import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/cli-error.js';
import { loadSyncState } from '../../../src/cli/vault/sync-state-file.js';
import { loadTrash } from '../../../src/cli/vault/trash-file.js';
import { withVaultLock } from '../../../src/cli/vault/vault-lock.js';
import { readVersionedFile, writeVersionedFile, type VersionedFile } from '../../../src/cli/vault/versioned-file.js';
import { freshDir } from '../cli-harness.js';

const LIST: VersionedFile<'list'> = { name: 'demo.json', version: 3, body: 'items', shape: 'list' };
const RECORD: VersionedFile<'record'> = { name: 'demo.json', version: 3, body: 'accounts', shape: 'record' };

/** The error of reading `text` as LIST. */
async function damage(dir: string, text: string): Promise<CliError> {
  await writeFile(join(dir, LIST.name), text);
  const error = await readVersionedFile(dir, LIST).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe('versioned JSON files beside the vault', () => {
  it('reads a missing file as undefined and gives back what it wrote, as a private file', async () => {
    const dir = await freshDir();
    expect(await readVersionedFile(dir, LIST)).toBeUndefined();
    await withVaultLock(dir, () => writeVersionedFile(dir, LIST, [{ a: 1 }, 'b']));
    expect(await readFile(join(dir, 'demo.json'), 'utf8')).toBe(
      '{\n "version": 3,\n "items": [\n  {\n   "a": 1\n  },\n  "b"\n ]\n}\n',
    );
    expect(await readVersionedFile(dir, LIST)).toEqual([{ a: 1 }, 'b']);
    expect((await stat(join(dir, 'demo.json'))).mode & 0o777).toBe(0o600);
    await withVaultLock(dir, () => writeVersionedFile(dir, RECORD, { x: 2 }));
    expect(await readVersionedFile(dir, RECORD)).toEqual({ x: 2 });
  });

  it('writes only under the vault lock', async () => {
    const dir = await freshDir();
    await expect(writeVersionedFile(dir, LIST, [])).rejects.toThrow();
    expect(await readVersionedFile(dir, LIST)).toBeUndefined();
  });

  it('refuses a file that is not JSON, of another version or with a body of the wrong shape, and leaves it', async () => {
    const dir = await freshDir();
    const path = join(dir, 'demo.json');
    for (const [text, why] of [
      ['{"version": 3, "items": [', 'it is not valid JSON'],
      ['{"version": 2, "items": []}', 'expected {"version": 3, "items": […]}'],
      ['{"version": 3, "items": {}}', 'expected {"version": 3, "items": […]}'],
      ['[]', 'expected {"version": 3, "items": […]}'],
    ] as const) {
      const error = await damage(dir, text);
      expect(error.code).toBe('corrupt_file');
      expect(error.message).toBe(`${path} is damaged (${why}); it was left untouched: move it away to start over`);
      expect(await readFile(path, 'utf8')).toBe(text);
    }
    await writeFile(path, '{"version": 3, "accounts": []}');
    await expect(readVersionedFile(dir, RECORD)).rejects.toThrow('expected {"version": 3, "accounts": {…}}');
  });

  it('is what the trash and the sync state are read through', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'trash.json'), '{"version": 1, "items": {}}');
    await expect(loadTrash(dir, 0)).rejects.toThrow('expected {"version": 1, "items": […]}');
    await writeFile(join(dir, 'sync-v2.json'), '{"version": 1, "accounts": []}');
    await expect(loadSyncState(dir, 'a')).rejects.toThrow('expected {"version": 1, "accounts": {…}}');
  });
});
