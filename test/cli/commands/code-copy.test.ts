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
