import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageVersion } from '../../src/package-info.js';
import { spawnOpen2fa } from '../helpers/cli-process.js';
import { freshDir } from './cli-harness.js';

const PYTHON_FILE =
  '{"secrets": [{"secret": "I65VU7K5ZQL7WB4E", "name": "TESTKEY123"}, {"secret": "W75HGIFLWBU757SU", "name": null}]}';

describe('the built open2fa binary', () => {
  it('prints help with exit 0', async () => {
    const run = await spawnOpen2fa(['--help'], { HOME: await freshDir() });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage: open2fa \[options\] \[command\]\n/);
    expect(run.stdout).toContain('remote|r');
  });

  it('prints the package version', async () => {
    expect(await spawnOpen2fa(['-v'], { HOME: await freshDir() })).toEqual({
      exitCode: 0,
      stdout: `${packageVersion()}\n`,
      stderr: '',
    });
  });

  it('rejects an invalid secret with exit 2 and leaves secrets.json unchanged', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE);
    const run = await spawnOpen2fa(['add', 'hello-world!', 'Name'], { OPEN2FA_DIR: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^open2fa: error: invalid secret: [^\n]*\n$/);
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(PYTHON_FILE);
  });

  it('reports a corrupt secrets.json with exit 1 and leaves it untouched', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'secrets.json'), '{"secrets": [');
    const run = await spawnOpen2fa(['add', 'JBSWY3DPEHPK3PXP', 'x'], { OPEN2FA_DIR: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `open2fa: error: ${join(dir, 'secrets.json')} is damaged (it is not valid JSON); it was left untouched: fix or move it away, then try again\n`,
    );
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe('{"secrets": [');
  });

  it('lists a Python-format file as JSON', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE);
    const run = await spawnOpen2fa(['-l', '--json', '-s'], { OPEN2FA_DIR: dir });
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual([
      { name: 'TESTKEY123', secret: 'I65VU7K5ZQL7WB4E' },
      { name: null, secret: 'W75HGIFLWBU757SU' },
    ]);
  });

  it('gives exit 2 for a usage error', async () => {
    const run = await spawnOpen2fa(['generate', '--repeat', 'many'], { HOME: await freshDir() });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^error: option '-r, --repeat <count>' argument 'many' is invalid/);
  });
});
