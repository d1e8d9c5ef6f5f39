import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { totpCode } from '../../../src/core/otp/otp.js';
import rfc6238 from '../../vectors/rfc6238.json' with { type: 'json' };
import { fakeTerminalInput, freshDir, runOpen2fa, TextSink, type HarnessOptions } from '../cli-harness.js';

/** `expect.stringMatching`, typed as the string it stands for (the matcher itself is `any`). */
function like(pattern: RegExp): string {
  return expect.stringMatching(pattern) as string;
}

const PYTHON_FILE =
  '{"secrets": [{"secret": "I65VU7K5ZQL7WB4E", "name": "TESTKEY123"}, {"secret": "W75HGIFLWBU757SU", "name": null}]}';
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** The RFC 6238 SHA1 rows; a 6-digit code is the last 6 digits of the 8-digit one (RFC 4226 §5.3). */
const sha1Vectors = rfc6238.totp.filter((row) => row.algorithm === 'SHA1');

async function vaultEnv(): Promise<{ dir: string; options: HarnessOptions }> {
  const dir = await freshDir();
  return { dir, options: { env: { OPEN2FA_DIR: dir } } };
}

async function secretsFile(dir: string): Promise<unknown> {
  return JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8'));
}

describe('add', () => {
  it('stores SECRET NAME, in either order, keeping the secret as typed', async () => {
    const { dir, options } = await vaultEnv();
    const first = await runOpen2fa(['add', 'jbswy3dpehpk3pxp', 'GitHub'], options);
    expect(first).toMatchObject({ exitCode: 0, stderr: '' });
    expect(first.stdout).toBe('Added GitHub (j...p).\n1 secret total.\n');
    expect((await runOpen2fa(['a', 'Work mail', 'I65VU7K5ZQL7WB4E'], options)).exitCode).toBe(0);
    expect(await secretsFile(dir)).toEqual({
      secrets: [
        { secret: 'jbswy3dpehpk3pxp', name: 'GitHub' },
        { secret: 'I65VU7K5ZQL7WB4E', name: 'Work mail' },
      ],
    });
  });

  it('takes -n, and a positional name over -n, as the Python client did', async () => {
    const { dir, options } = await vaultEnv();
    await runOpen2fa(['add', 'I65VU7K5ZQL7WB4E', '-n', 'Option'], options);
    await runOpen2fa(['add', 'W75HGIFLWBU757SU', 'Positional', '-n', 'Option'], options);
    expect(await secretsFile(dir)).toEqual({
      secrets: [
        { secret: 'I65VU7K5ZQL7WB4E', name: 'Option' },
        { secret: 'W75HGIFLWBU757SU', name: 'Positional' },
      ],
    });
  });

  it('rejects an invalid secret with exit 2, one line, and an unchanged file', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE);
    for (const argv of [
      ['add', 'not-base32!', 'x'],
      ['add', 'nope', 'x'],
      ['add', 'ab1c', 'de8f'],
    ]) {
      const run = await runOpen2fa(argv, options);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^open2fa: error: invalid secret: [^\n]+\n$/);
    }
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(PYTHON_FILE);
  });

  it('does not store a secret twice, however it is typed (exit 0)', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE);
    const run = await runOpen2fa(['add', 'i65v u7k5 zql7 wb4e', 'Again'], options);
    expect(run).toMatchObject({ exitCode: 0, stdout: 'This secret is already stored as TESTKEY123; nothing added.\n' });
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(PYTHON_FILE);
  });

  it('appends to a Python file and keeps its format', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE);
    await runOpen2fa(['add', RFC_SECRET, 'RFC'], options);
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(
      `${PYTHON_FILE.slice(0, -2)}, {"secret": "${RFC_SECRET}", "name": "RFC"}]}`,
    );
  });

  it('reads an otpauth://totp URI, naming the entry Issuer:account and keeping both', async () => {
    const { dir, options } = await vaultEnv();
    const uri = 'otpauth://totp/ACME%20Co:john@example.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co';
    expect((await runOpen2fa(['add', uri], options)).exitCode).toBe(0);
    expect((await runOpen2fa(['add', 'otpauth://totp/Solo?secret=JBSWY3DPEHPK3PXP', 'Mine'], options)).exitCode).toBe(
      0,
    );
    expect(await secretsFile(dir)).toEqual({
      secrets: [
        {
          secret: 'HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ',
          name: 'ACME Co:john@example.com',
          issuer: 'ACME Co',
          account: 'john@example.com',
        },
        { secret: 'JBSWY3DPEHPK3PXP', name: 'Mine' },
      ],
    });
  });

  it('stores HOTP, 8-digit, SHA256 and Steam URIs with their parameters, and generates with them', async () => {
    const { dir, options } = await vaultEnv();
    for (const uri of [
      `otpauth://hotp/Counter?secret=${RFC_SECRET}&counter=1`,
      'otpauth://totp/Eight?secret=JBSWY3DPEHPK3PXP&digits=8',
      'otpauth://totp/Sha?secret=I65VU7K5ZQL7WB4E&algorithm=SHA256&period=60',
      'otpauth://steam/Steam?secret=W75HGIFLWBU757SU',
    ]) {
      expect((await runOpen2fa(['add', uri], options)).exitCode).toBe(0);
    }
    expect(await secretsFile(dir)).toEqual({
      secrets: [
        { secret: RFC_SECRET, name: 'Counter', type: 'hotp', counter: 1 },
        { secret: 'JBSWY3DPEHPK3PXP', name: 'Eight', digits: 8 },
        { secret: 'I65VU7K5ZQL7WB4E', name: 'Sha', algorithm: 'SHA256', period: 60 },
        { secret: 'W75HGIFLWBU757SU', name: 'Steam', type: 'steam' },
      ],
    });
    const frame = await runOpen2fa(['generate', '--json'], options);
    expect(JSON.parse(frame.stdout)).toEqual([
      // RFC 4226 appendix D: counter 1 → 287082, shown without advancing.
      { name: 'Counter', type: 'hotp', code: '287082', counter: 1 },
      {
        name: 'Eight',
        digits: 8,
        code: totpCode({ secret: 'JBSWY3DPEHPK3PXP', digits: 8 }, 59_000),
        secondsRemaining: 1,
      },
      {
        name: 'Sha',
        period: 60,
        code: totpCode({ secret: 'I65VU7K5ZQL7WB4E', algorithm: 'SHA256', period: 60 }, 59_000),
        secondsRemaining: 1,
      },
      {
        name: 'Steam',
        type: 'steam',
        code: like(/^[2-9BCDFGHJKMNPQRTVWXY]{5}$/),
        secondsRemaining: 1,
      },
    ]);
  });

  const badUris = [
    'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9',
    'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5',
    'otpauth://motp/x?secret=JBSWY3DPEHPK3PXP',
    'otpauth://totp/x?secret=!!!',
  ];
  it.each(badUris)('rejects %s with exit 2', async (uri) => {
    const { options } = await vaultEnv();
    const run = await runOpen2fa(['add', uri], options);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^open2fa: error: invalid otpauth URI: [^\n]+\n$/);
  });

  it('reads the secret and the name from stdin lines when stdin is not a terminal', async () => {
    const { dir, options } = await vaultEnv();
    const run = await runOpen2fa(['add'], { ...options, stdin: 'JBSWY3DPEHPK3PXP\nPiped\n' });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('Enter the TOTP secret: Enter the name of the secret: ');
    expect(await secretsFile(dir)).toEqual({ secrets: [{ secret: 'JBSWY3DPEHPK3PXP', name: 'Piped' }] });
  });

  it('asks on a terminal without echoing the secret', async () => {
    const { dir, options } = await vaultEnv();
    const stdin = fakeTerminalInput();
    const stderr = new TextSink();
    const running = runOpen2fa(['add'], { ...options, stdin, stdinIsTTY: true, stderr });
    stdin.write('JBSWY3DPEHPK3PXP\r');
    // The name is typed once it is asked for: typed earlier, it would fall in the secret's muted echo.
    await vi.waitFor(() => {
      expect(stderr.text).toContain('Enter the name of the secret: ');
    });
    stdin.write('Typed\r');
    const run = await running;
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('Enter the TOTP secret: ');
    expect(run.stderr).toContain('Typed');
    expect(run.stderr + run.stdout).not.toContain('JBSWY3DPEHPK3PXP');
    expect(await secretsFile(dir)).toEqual({ secrets: [{ secret: 'JBSWY3DPEHPK3PXP', name: 'Typed' }] });
  });

  it('fails with exit 2 when stdin ends before a secret', async () => {
    const { options } = await vaultEnv();
    expect(await runOpen2fa(['add'], { ...options, stdin: '' })).toMatchObject({
      exitCode: 2,
      stderr: 'Enter the TOTP secret: open2fa: error: no secret given\n',
    });
  });
});

describe('list', () => {
  it('prints a Python file as a masked table sorted by name', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE);
    const run = await runOpen2fa(['list'], options);
    expect(run).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: '\nName          Secret\n----------    ------\nTESTKEY123    I...E\n(no name)     W...U\n\n',
    });
    const shown = await runOpen2fa(['l', '-s'], options);
    expect(shown.stdout).toContain('TESTKEY123    I65VU7K5ZQL7WB4E\n');
  });

  it('prints JSON with --json, masked unless -s', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE);
    expect(JSON.parse((await runOpen2fa(['list', '--json'], options)).stdout)).toEqual([
      { name: 'TESTKEY123', secret: 'I...E' },
      { name: null, secret: 'W...U' },
    ]);
    expect(JSON.parse((await runOpen2fa(['list', '--json', '--secret'], options)).stdout)).toEqual([
      { name: 'TESTKEY123', secret: 'I65VU7K5ZQL7WB4E' },
      { name: null, secret: 'W75HGIFLWBU757SU' },
    ]);
  });

  it('handles zero secrets', async () => {
    const { options } = await vaultEnv();
    const none = await runOpen2fa(['list'], options);
    expect(none.exitCode).toBe(0);
    expect(none.stdout).toMatch(/^No secrets/);
    expect((await runOpen2fa(['list', '--json'], options)).stdout).toBe('[]\n');
  });

  it('neutralises control characters in names', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), '{"secrets": [{"secret": "JBSWY3DPEHPK3PXP", "name": "a\\u001b[2Jb"}]}');
    expect((await runOpen2fa(['list'], options)).stdout).toContain('a?[2Jb');
  });

  it('reports a corrupt file (exit 1) and never overwrites it, even on add', async () => {
    const { dir, options } = await vaultEnv();
    const corrupt = '{"secrets": [{"secret": "JBSWY3DP';
    await writeFile(join(dir, 'secrets.json'), corrupt);
    for (const argv of [['list'], ['add', 'I65VU7K5ZQL7WB4E', 'x'], ['delete', '-n', 'x', '-f']]) {
      const run = await runOpen2fa(argv, options);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toBe(
        `open2fa: error: ${join(dir, 'secrets.json')} is damaged (it is not valid JSON); it was left untouched: fix or move it away, then try again\n`,
      );
    }
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(corrupt);
  });
});

describe('delete and rename', () => {
  it('deletes by name with -f and keeps the other entries and fields', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE.replace('"TESTKEY123"}', '"TESTKEY123", "x": 1}'));
    const run = await runOpen2fa(['d', '-n', 'TESTKEY123', '-f'], options);
    expect(run).toMatchObject({ exitCode: 0, stdout: 'Deleted 1 secret(s).\n' });
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(
      '{"secrets": [{"secret": "W75HGIFLWBU757SU", "name": null}]}',
    );
  });

  it('asks on a terminal and keeps the entry when the answer is no', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE);
    const stdin = fakeTerminalInput();
    const running = runOpen2fa(['delete', '-s', 'w75hgiflwbu757su'], { ...options, stdin, stdinIsTTY: true });
    stdin.write('n\r');
    const run = await running;
    expect(run.stderr).toContain('Are you sure you want to remove (no name) W...U? (y/n): ');
    expect(run.stdout).toBe('Deleted 0 secret(s).\n');
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(PYTHON_FILE);
  });

  it('deletes one of two identical entries when only the first is confirmed', async () => {
    const { dir, options } = await vaultEnv();
    const twice =
      '{"secrets": [{"secret": "I65VU7K5ZQL7WB4E", "name": "Same"}, {"secret": "I65VU7K5ZQL7WB4E", "name": "Same"}]}';
    await writeFile(join(dir, 'secrets.json'), twice);
    const stdin = fakeTerminalInput();
    const running = runOpen2fa(['delete', '-n', 'Same'], { ...options, stdin, stdinIsTTY: true });
    stdin.write('y\rn\r');
    expect(await running).toMatchObject({ exitCode: 0, stdout: 'Deleted 1 secret(s).\n' });
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(
      '{"secrets": [{"secret": "I65VU7K5ZQL7WB4E", "name": "Same"}]}',
    );
  });

  it('refuses to delete without -f when nobody can confirm', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE);
    const run = await runOpen2fa(['delete', 'TESTKEY123'], options);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/add -f/);
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(PYTHON_FILE);
  });

  it('fails with exit 2 when nothing matches, or nothing is named', async () => {
    const { options } = await vaultEnv();
    expect((await runOpen2fa(['delete', '-n', 'ghost', '-f'], options)).exitCode).toBe(2);
    expect(await runOpen2fa(['delete', '-f'], options)).toMatchObject({
      exitCode: 2,
      stderr: 'open2fa: error: no secret or name given: use -n NAME or -s SECRET\n',
    });
  });

  it('renames by name, by part of a name, or by secret, keeping extra fields', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE.replace('"TESTKEY123"}', '"TESTKEY123", "x": 1}'));
    expect((await runOpen2fa(['rename', 'testkey', 'Renamed'], options)).stdout).toBe(
      'Renamed TESTKEY123 to Renamed.\n',
    );
    expect((await runOpen2fa(['rename', 'W75HGIFLWBU757SU', 'Named'], options)).exitCode).toBe(0);
    expect(await readFile(join(dir, 'secrets.json'), 'utf8')).toBe(
      '{"secrets": [{"secret": "I65VU7K5ZQL7WB4E", "name": "Renamed", "x": 1}, {"secret": "W75HGIFLWBU757SU", "name": "Named"}]}',
    );
    expect((await runOpen2fa(['rename', 'e', 'Other'], options)).exitCode).toBe(2);
    expect((await runOpen2fa(['rename', 'Named', ' '], options)).exitCode).toBe(2);
  });
});

describe('code', () => {
  it.each(sha1Vectors)('prints only the RFC 6238 code at T = $time s', async (row) => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), `{"secrets": [{"secret": "${row.secret_base32}", "name": "RFC"}]}`);
    const run = await runOpen2fa(['code', 'rfc'], { ...options, now: () => row.time * 1000 });
    expect(run).toEqual({ exitCode: 0, stdout: `${row.code.slice(-6)}\n`, stderr: '' });
  });

  it('fails with exit 2 for an unknown or ambiguous name', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE.replace('null', '"TESTKEY456"'));
    expect((await runOpen2fa(['code', 'nothing'], options)).exitCode).toBe(2);
    const ambiguous = await runOpen2fa(['code', 'testkey'], options);
    expect(ambiguous).toMatchObject({ exitCode: 2, stdout: '' });
    expect(ambiguous.stderr).toContain('TESTKEY123, TESTKEY456');
    expect((await runOpen2fa(['code', '-n', 'TESTKEY456'], options)).stdout).toBe(
      `${totpCode({ secret: 'W75HGIFLWBU757SU' }, 59_000)}\n`,
    );
  });
});

describe('info', () => {
  it('shows the directory, API URL and a masked identity', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'secrets.json'), PYTHON_FILE);
    const env = {
      ...options.env,
      OPEN2FA_UUID: '692a3e6b-4bd4-400b-aa2b-8261695b5ffb',
      OPEN2FA_API_URL: 'http://h:1/api/v1//',
    };
    const run = await runOpen2fa(['i'], { env });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`Open2FA Directory: ${dir}\n`);
    expect(run.stdout).toContain('Open2FA Remote API URL: http://h:1/api/v1\n');
    expect(run.stdout).toContain('Number of secrets: 2\n');
    expect(run.stdout).toContain('Open2FA ID: G...\n');
    expect(run.stdout).not.toContain('GiG4Xz1tmTnG3CVh38raYX');
    const json = JSON.parse((await runOpen2fa(['info', '-s', '--json'], { env })).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      id: 'GiG4Xz1tmTnG3CVh38raYX',
      secret: 'GiRVCWuSBPaVM7xfER9h6',
      secrets: 2,
      uuidSource: 'env',
    });
  });

  it('rejects a bad OPEN2FA_UUID or protocol with exit 2', async () => {
    const { options } = await vaultEnv();
    expect((await runOpen2fa(['info'], { env: { ...options.env, OPEN2FA_UUID: 'nope' } })).exitCode).toBe(2);
    expect((await runOpen2fa(['info'], { env: { ...options.env, OPEN2FA_PROTOCOL: 'v3' } })).exitCode).toBe(2);
  });

  it('finds ~/.open2fa from HOME in the injected environment', async () => {
    const home = await freshDir();
    const run = await runOpen2fa(['info', '--json'], { env: { HOME: home } });
    expect(JSON.parse(run.stdout)).toMatchObject({ directory: join(home, '.open2fa'), secrets: 0, uuid: null });
  });
});

describe('usage', () => {
  it('maps commander usage errors to exit 2', async () => {
    const bare = await runOpen2fa(['remote']);
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toMatch(/^Usage: open2fa remote\|r /);
    for (const argv of [
      ['bogus'],
      ['list', '--nope'],
      ['generate', '-r', '0'],
      ['generate', '-d', 'soon'],
      ['rename', 'x'],
    ]) {
      const run = await runOpen2fa(argv);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/^error: /);
    }
  });

  it('prints help with an example for every command, and the version', async () => {
    for (const command of ['add', 'delete', 'rename', 'list', 'info', 'generate', 'code', 'remote', 'remote push']) {
      const run = await runOpen2fa([...command.split(' '), '--help']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/Examples:\n {2}\$ open2fa /);
    }
    expect((await runOpen2fa(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await runOpen2fa([])).exitCode).toBe(0);
  });
});
