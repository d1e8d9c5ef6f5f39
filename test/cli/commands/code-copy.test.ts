import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { freshDir, runOpen2fa } from '../cli-harness.js';

const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('code --copy', () => {
  it('copies the code with the first clipboard program that works', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'secrets.json'), `{"secrets": [{"secret": "${RFC_SECRET}", "name": "RFC"}]}`);
    const clipboard = join(dir, 'clipboard.txt');
    const copier = `require('fs').writeFileSync(${JSON.stringify(clipboard)}, require('fs').readFileSync(0))`;
    const run = await runOpen2fa(['code', 'RFC', '--copy'], {
      env: { OPEN2FA_DIR: dir },
      clipboardCommands: [
        { command: join(dir, 'no-such-program'), args: [] },
        { command: process.execPath, args: ['-e', 'process.exit(1)'] },
        { command: process.execPath, args: ['-e', copier] },
      ],
    });
    expect(run).toEqual({ exitCode: 0, stdout: '287082\n', stderr: '' });
    expect(await readFile(clipboard, 'utf8')).toBe('287082');
  });

  it('gives the clipboard program only the variables it needs, never the UUID or the passphrase', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'secrets.json'), `{"secrets": [{"secret": "${RFC_SECRET}", "name": "RFC"}]}`);
    const seen = join(dir, 'env.json');
    const dump = `require('fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.env))`;
    const run = await runOpen2fa(['code', 'RFC', '--copy'], {
      env: {
        OPEN2FA_DIR: dir,
        OPEN2FA_UUID: '692a3e6b-4bd4-400b-aa2b-8261695b5ffb',
        OPEN2FA_PASSPHRASE: 'correct horse',
        DISPLAY: ':0',
        PATH: process.env.PATH,
      },
      clipboardCommands: [{ command: process.execPath, args: ['-e', dump] }],
    });
    expect(run.exitCode).toBe(0);
    const env = JSON.parse(await readFile(seen, 'utf8')) as Record<string, string>;
    expect(env.DISPLAY).toBe(':0');
    expect(env.OPEN2FA_UUID).toBeUndefined();
    expect(env.OPEN2FA_PASSPHRASE).toBeUndefined();
    expect(env.OPEN2FA_DIR).toBeUndefined();
  });

  it('still prints the code, with a warning, when there is no clipboard', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'secrets.json'), `{"secrets": [{"secret": "${RFC_SECRET}", "name": "RFC"}]}`);
    const run = await runOpen2fa(['code', 'rfc', '-c'], {
      env: { OPEN2FA_DIR: dir },
      clipboardCommands: [{ command: join(dir, 'no-such-program'), args: [] }],
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('287082\n');
    expect(run.stderr).toMatch(
      /^warning: no clipboard available \(tried .*no-such-program\); the code was not copied\n$/,
    );
  });
});
