import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/cli-error.js';
import { toPythonJson } from '../../../src/cli/vault/python-json.js';
import { withVaultLock } from '../../../src/cli/vault/vault-lock.js';
import {
  loadVault,
  newEntry,
  parseVault,
  renameEntry,
  saveVault,
  serializeVault,
} from '../../../src/cli/vault/vault-store.js';
import { freshDir } from '../cli-harness.js';

/** The exact file the open2fa 1.x Python client writes (its README example). */
const PYTHON_FILE =
  '{"secrets": [{"secret": "I65VU7K5ZQL7WB4E", "name": "TESTKEY123"}, {"secret": "W75HGIFLWBU757SU", "name": null}]}';

describe('secrets.json in the Python client format', () => {
  it('reads the Python file as is', () => {
    const vault = parseVault(PYTHON_FILE, 'secrets.json');
    expect(vault.entries.map(({ secret, name }) => ({ secret, name }))).toEqual([
      { secret: 'I65VU7K5ZQL7WB4E', name: 'TESTKEY123' },
      { secret: 'W75HGIFLWBU757SU', name: null },
    ]);
  });

  it('rewrites an unchanged Python file byte for byte', () => {
    expect(serializeVault(parseVault(PYTHON_FILE, 'secrets.json'))).toBe(PYTHON_FILE);
  });

  it('keeps extra fields of entries and of the top level, in their places, after a rename and an add', () => {
    const text =
      '{"version": 3, "secrets": [{"secret": "I65VU7K5ZQL7WB4E", "name": "A", "issuer": "ACME", "tags": [1, 2]}], "z": {"k": true}}';
    const vault = parseVault(text, 'secrets.json');
    const first = vault.entries[0];
    if (first === undefined) throw new Error('no entry');
    const changed = { ...vault, entries: [renameEntry(first, 'B'), newEntry('W75HGIFLWBU757SU', 'C')] };
    expect(serializeVault(changed)).toBe(
      '{"version": 3, "secrets": [{"secret": "I65VU7K5ZQL7WB4E", "name": "B", "issuer": "ACME", "tags": [1, 2]}, ' +
        '{"secret": "W75HGIFLWBU757SU", "name": "C"}], "z": {"k": true}}',
    );
  });

  it('escapes non-ASCII as Python json.dumps does', () => {
    expect(toPythonJson({ name: 'Zürich 🔑', n: 1.5, list: [], obj: {} })).toBe(
      '{"name": "Z\\u00fcrich \\ud83d\\udd11", "n": 1.5, "list": [], "obj": {}}',
    );
    expect(JSON.parse(toPythonJson({ name: 'Zürich 🔑\n"x"' }))).toEqual({ name: 'Zürich 🔑\n"x"' });
  });

  const mustReject: [string, string][] = [
    ['not JSON', '{"secrets": ['],
    ['empty file', ''],
    ['a list at the top', '[]'],
    ['no secrets list', '{"secret": []}'],
    ['secrets not a list', '{"secrets": {}}'],
    ['an entry without secret', '{"secrets": [{"name": "x"}]}'],
    ['a numeric secret', '{"secrets": [{"secret": 5, "name": "x"}]}'],
    ['a numeric name', '{"secrets": [{"secret": "I65VU7K5ZQL7WB4E", "name": 5}]}'],
    ['an entry that is a string', '{"secrets": ["I65VU7K5ZQL7WB4E"]}'],
  ];
  it.each(mustReject)('rejects %s as corrupt', (_why, text) => {
    let thrown: unknown;
    try {
      parseVault(text, '/x/secrets.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CliError);
    expect((thrown as CliError).code).toBe('corrupt_file');
    expect((thrown as CliError).message).toMatch(/^\/x\/secrets\.json is damaged/);
  });
});

describe('vault files on disk', () => {
  it('treats a missing file as an empty vault without creating anything', async () => {
    const dir = join(await freshDir(), 'not-yet');
    expect((await loadVault(dir)).entries).toEqual([]);
    await expect(stat(dir)).rejects.toThrow();
  });

  it('creates the directory 0700 and the file 0600, and leaves no temporary files', async () => {
    const dir = join(await freshDir(), 'nested', 'vault');
    await withVaultLock(dir, () =>
      saveVault(dir, { entries: [newEntry('I65VU7K5ZQL7WB4E', 'x')], raw: { secrets: [] } }),
    );
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual(['secrets.json']);
  });

  it('replaces a world-readable file with a private one', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE, { mode: 0o644 });
    await withVaultLock(dir, async () => {
      await saveVault(dir, await loadVault(dir));
    });
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(PYTHON_FILE);
  });

  it('refuses a write outside the vault lock', async () => {
    const dir = await freshDir();
    await expect(saveVault(dir, parseVault(PYTHON_FILE, 'secrets.json'))).rejects.toThrow(/without the vault lock/);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports an unreadable path as an io failure', async () => {
    const dir = await freshDir();
    await mkdir(join(dir, 'secrets.json'));
    await expect(loadVault(dir)).rejects.toBeInstanceOf(CliError);
    await expect(loadVault(dir)).rejects.toMatchObject({ code: 'io_failed' });
  });
});
