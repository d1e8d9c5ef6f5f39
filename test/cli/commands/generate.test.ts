import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../../src/core/otp/otp.js';
import { freshDir, runOpen2fa, type HarnessOptions } from '../cli-harness.js';

const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** RFC 6238 appendix B, SHA1 at T = 59 s: 94287082, of which a 6-digit code keeps the last six. */
const RFC_CODE_AT_59 = '287082';
const ESC = '\u001b';

async function vaultWith(entries: { secret: string; name: string | null }[]): Promise<HarnessOptions> {
  const dir = await freshDir();
  await writeFile(join(dir, 'secrets.json'), JSON.stringify({ secrets: entries }));
  return { env: { OPEN2FA_DIR: dir } };
}

describe('generate', () => {
  it('prints plain frames when stdout is not a terminal', async () => {
    const options = await vaultWith([{ secret: RFC_SECRET, name: 'RFC' }]);
    const run = await runOpen2fa(['generate', '-r', '2'], options);
    const frame = `Name          Code      Next\n----------    ------    -----\nRFC           ${RFC_CODE_AT_59}     1.00\n`;
    expect(run).toEqual({ exitCode: 0, stderr: '', stdout: `${frame}\n${frame}` });
  });

  it('computes each frame at the current time', async () => {
    const options = await vaultWith([{ secret: RFC_SECRET, name: 'RFC' }]);
    const times = [59_000, 75_500];
    const run = await runOpen2fa(['g', '-r', '2', '-d', '0'], { ...options, now: () => times.shift() ?? 0 });
    const later = totpCode({ secret: RFC_SECRET }, 75_500);
    expect(run.stdout).toContain(`RFC           ${RFC_CODE_AT_59}     1.00\n`);
    expect(run.stdout).toContain(`RFC           ${later}    14.50\n`);
  });

  it('redraws in place on a terminal and restores the cursor', async () => {
    const options = await vaultWith([{ secret: RFC_SECRET, name: 'RFC' }]);
    const run = await runOpen2fa(['generate', '-r', '2'], {
      ...options,
      isTTY: true,
      columns: () => 80,
      rows: () => 24,
    });
    const frame = `Name          Code      Next\n----------    ------    -----\nRFC           ${RFC_CODE_AT_59}     1.00\n`;
    expect(run.stdout).toBe(`${ESC}[?25lPress Ctrl+C to exit.\n\n${frame}${ESC}[3F${ESC}[J${frame}${ESC}[?25h`);
  });

  it('fits the terminal: names are cut and extra rows summarised', async () => {
    const entries = Array.from({ length: 12 }, (_, index) => ({
      secret: RFC_SECRET,
      name: `A very long account name number ${String(index).padStart(2, '0')}`,
    }));
    const options = await vaultWith(entries);
    const run = await runOpen2fa(['generate', '-r', '1'], {
      ...options,
      isTTY: true,
      columns: () => 40,
      rows: () => 8,
    });
    const lines = stripVTControlCharacters(run.stdout).split('\n').slice(2, -1);
    expect(lines).toHaveLength(7);
    for (const line of lines) expect(line.length).toBeLessThan(40);
    expect(lines[2]).toBe(`A very long account…    ${RFC_CODE_AT_59}     1.00`);
    expect(lines[6]).toBe('... 8 codes not shown ...');
  });

  it('ends cleanly on Ctrl+C: exit 0, cursor shown, handler removed', async () => {
    const options = await vaultWith([{ secret: RFC_SECRET, name: 'RFC' }]);
    let handler: (() => void) | undefined;
    let removed = false;
    const run = await runOpen2fa(['generate'], {
      ...options,
      isTTY: true,
      onInterrupt: (registered) => {
        handler = registered;
        return () => {
          removed = true;
        };
      },
      sleep: (_ms, signal) => {
        handler?.();
        expect(signal.aborted).toBe(true);
        return Promise.resolve();
      },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.endsWith(`${ESC}[?25h`)).toBe(true);
    expect(run.stdout.match(/Name {10}Code/g)).toHaveLength(1);
    expect(removed).toBe(true);
  });

  it('filters by a case-insensitive part of the name', async () => {
    const options = await vaultWith([
      { secret: RFC_SECRET, name: 'GitHub' },
      { secret: 'JBSWY3DPEHPK3PXP', name: 'Mail' },
    ]);
    const run = await runOpen2fa(['generate', '-n', 'HUB', '-r', '1'], options);
    expect(run.stdout).toContain('GitHub');
    expect(run.stdout).not.toContain('Mail');
    expect((await runOpen2fa(['generate', '-n', 'nothing', '-r', '1'], options)).exitCode).toBe(2);
  });

  it('prints one JSON frame with --json', async () => {
    const options = await vaultWith([
      { secret: RFC_SECRET, name: 'RFC' },
      { secret: 'not base32 !', name: 'Broken' },
    ]);
    const run = await runOpen2fa(['generate', '--json'], options);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n')).toHaveLength(2);
    expect(JSON.parse(run.stdout)).toEqual([
      { name: 'Broken', code: null, secondsRemaining: 1 },
      { name: 'RFC', code: RFC_CODE_AT_59, secondsRemaining: 1 },
    ]);
  });

  it('shows an invalid stored secret instead of crashing, and handles zero secrets', async () => {
    const options = await vaultWith([{ secret: 'not base32 !', name: 'Broken' }]);
    expect((await runOpen2fa(['generate', '-r', '1'], options)).stdout).toContain('Broken        invalid     1.00');
    const empty = await vaultWith([]);
    const none = await runOpen2fa(['generate'], empty);
    expect(none.exitCode).toBe(0);
    expect(none.stdout).toMatch(/^No secrets/);
  });
});
