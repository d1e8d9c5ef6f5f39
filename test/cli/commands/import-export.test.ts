import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { hotpCode } from '../../../src/core/otp/otp.js';
import {
  aegisEntry,
  aegisVault,
  andOtpBackup,
  andOtpEntry,
  base32Bytes,
  bitwardenExport,
  migrationUri,
  qrJpeg,
  qrPng,
  SECRET_A,
  SECRET_B,
  SECRET_C,
  SECRET_D,
  twoFasBackup,
  twoFasService,
} from '../../core/formats/format-fixtures.js';
import { freshDir, runOpen2fa, type HarnessOptions } from '../cli-harness.js';

// jsQR is CommonJS typed as `export =`: loaded the CommonJS way to keep its types.
const jsQR = createRequire(import.meta.url)('jsqr') as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options: { inversionAttempts: 'attemptBoth' },
) => { data: string } | null;

/** `expect.stringMatching`, typed as the string it stands for (the matcher itself is `any`). */
function like(pattern: RegExp): string {
  return expect.stringMatching(pattern) as string;
}

const PASSPHRASE = 'correct horse battery staple';

async function vaultEnv(env: Record<string, string> = {}): Promise<{ dir: string; options: HarnessOptions }> {
  const dir = await freshDir();
  return { dir, options: { env: { OPEN2FA_DIR: dir, ...env }, cwd: dir } };
}

async function secretsText(dir: string): Promise<string | null> {
  return readFile(join(dir, 'secrets.json'), 'utf8').catch(() => null);
}

async function listJson(options: HarnessOptions): Promise<unknown> {
  const run = await runOpen2fa(['list', '--json', '-s'], options);
  expect(run.exitCode).toBe(0);
  return JSON.parse(run.stdout);
}

const AEGIS = aegisVault([
  aegisEntry('totp', 'GitHub', 'alice', { secret: SECRET_A, algo: 'SHA1', digits: 6, period: 30 }),
  aegisEntry('totp', 'Bank', 'bob', { secret: SECRET_B, algo: 'SHA256', digits: 8, period: 60 }),
  aegisEntry('hotp', 'Counter', '', { secret: SECRET_C, algo: 'SHA1', digits: 6, counter: 5 }, 'key fob'),
  aegisEntry('steam', 'Steam', 'gamer', { secret: SECRET_D, algo: 'SHA1', digits: 5, period: 30 }),
]);

const AEGIS_LISTED = [
  { name: 'Bank:bob', secret: SECRET_B, issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 },
  { name: 'Counter', secret: SECRET_C, issuer: 'Counter', type: 'hotp', counter: 5, note: 'key fob' },
  { name: 'GitHub:alice', secret: SECRET_A, issuer: 'GitHub', account: 'alice' },
  { name: 'Steam:gamer', secret: SECRET_D, issuer: 'Steam', account: 'gamer', type: 'steam' },
];

describe('import', () => {
  const files: [string, string, string | Buffer][] = [
    ['Aegis (JSON, plain or encrypted)', 'aegis.json', AEGIS],
    [
      '2FAS (.2fas backup, plain or with a password)',
      'backup.2fas',
      twoFasBackup([
        twoFasService('GitHub', SECRET_A, { account: 'alice', tokenType: 'TOTP' }),
        twoFasService('Bank', SECRET_B, {
          account: 'bob',
          digits: 8,
          period: 60,
          algorithm: 'SHA256',
          tokenType: 'TOTP',
        }),
      ]),
    ],
    [
      'andOTP (JSON, plain or password-encrypted .json.aes)',
      'otp_accounts.json',
      andOtpBackup([
        andOtpEntry({ secret: SECRET_A, issuer: 'GitHub', label: 'alice', type: 'TOTP' }),
        andOtpEntry({
          secret: SECRET_B,
          issuer: 'Bank',
          label: 'bob',
          digits: 8,
          period: 60,
          algorithm: 'SHA256',
          type: 'TOTP',
        }),
      ]),
    ],
    [
      'Bitwarden (JSON, unencrypted or password-protected)',
      'bitwarden.json',
      bitwardenExport([
        { name: 'GitHub', username: 'alice', totp: SECRET_A },
        {
          name: 'Bank',
          username: 'bob',
          totp: `otpauth://totp/Bank:bob?secret=${SECRET_B}&algorithm=SHA256&digits=8&period=60`,
        },
        { name: 'No 2FA', username: 'x' },
      ]),
    ],
    [
      'Google Authenticator transfer (otpauth-migration:// links or QR codes)',
      'transfer.txt',
      migrationUri([
        { secret: base32Bytes(SECRET_A), name: 'alice', issuer: 'GitHub' },
        { secret: base32Bytes(SECRET_B), name: 'Bank:bob', issuer: 'Bank', algorithm: 2, digits: 2 },
      ]).replace('%3D', '%3D') + '\n',
    ],
    [
      'otpauth:// links, one per line (Ente Auth plain export, any app)',
      'ente-export.txt',
      `otpauth://totp/GitHub:alice?secret=${SECRET_A}&issuer=GitHub\notpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA256&digits=8&period=60\n`,
    ],
    [
      'QR code: otpauth:// links, one per line (Ente Auth plain export, any app)',
      'qr.png',
      qrPng(`otpauth://totp/GitHub:alice?secret=${SECRET_A}&issuer=GitHub`),
    ],
    [
      'QR code: Google Authenticator transfer (otpauth-migration:// links or QR codes)',
      'qr.jpg',
      qrJpeg(migrationUri([{ secret: base32Bytes(SECRET_A), name: 'alice', issuer: 'GitHub' }])),
    ],
  ];

  it.each(files)('reads %s', async (format, name, content) => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, name), content);
    const run = await runOpen2fa(['import', name], options);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const listed = (await listJson(options)) as { name: string }[];
    const count = listed.length === 1 ? '1 entry' : `${String(listed.length)} entries`;
    expect(run.stdout.split('\n')[0]).toBe(`${format}: ${count} in ${join(dir, name)}`);
    expect(run.stdout).toContain(`Imported ${count} (0 already stored, 0 invalid skipped).\n`);
    if (listed.length > 1) {
      // Google Authenticator transfers have no period: the default, 30 s, applies.
      expect(listed[0]).toMatchObject({ name: 'Bank:bob', secret: SECRET_B, algorithm: 'SHA256', digits: 8 });
    }
    expect(listed).toContainEqual({ name: 'GitHub:alice', secret: SECRET_A, issuer: 'GitHub', account: 'alice' });
  });

  it('reports every entry, and importing twice adds nothing', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'aegis.json'), AEGIS);
    const first = await runOpen2fa(['import', 'aegis.json'], options);
    expect(first).toMatchObject({ exitCode: 0, stderr: '' });
    expect(first.stdout).toBe(
      `Aegis (JSON, plain or encrypted): 4 entries in ${join(dir, 'aegis.json')}\n` +
        '  add      entry 1 "GitHub:alice": totp\n' +
        '  add      entry 2 "Bank:bob": totp SHA256/8/60s\n' +
        '  add      entry 3 "Counter": hotp #5\n' +
        '  add      entry 4 "Steam:gamer": steam\n' +
        'Imported 4 entries (0 already stored, 0 invalid skipped).\n',
    );
    expect(await listJson(options)).toEqual(AEGIS_LISTED);
    const file = await secretsText(dir);
    const second = await runOpen2fa(['import', 'aegis.json'], options);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('  skip     entry 1 "GitHub:alice": already stored as GitHub:alice\n');
    expect(second.stdout).toContain('Imported 0 entries (4 already stored, 0 invalid skipped).\n');
    expect(await secretsText(dir)).toBe(file);
  });

  it('skips an entry repeated within the file', async () => {
    const { dir, options } = await vaultEnv();
    const line = `otpauth://totp/A?secret=${SECRET_A}`;
    await writeFile(
      join(dir, 'twice.txt'),
      `${line}\n${line.toLowerCase().replace('otpauth://totp/a', 'otpauth://totp/B')}\n`,
    );
    const run = await runOpen2fa(['import', 'twice.txt'], options);
    expect(run.stdout).toContain('  skip     line 2 "B": the same entry came earlier in this file\n');
    expect(await listJson(options)).toEqual([{ name: 'A', secret: SECRET_A }]);
  });

  const WITH_INVALID = [
    `otpauth://totp/Good?secret=${SECRET_A}`,
    'otpauth://totp/Broken?secret=NOT-BASE32!',
    `otpauth://totp/Weird?secret=${SECRET_B}&algorithm=MD5`,
    `otpauth://hotp/Also%20good?secret=${SECRET_C}&counter=3`,
  ].join('\n');

  it('is all or nothing: one invalid entry writes nothing, exits 2 and names the entries', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'mixed.txt'), WITH_INVALID);
    const run = await runOpen2fa(['import', 'mixed.txt'], options);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain('  INVALID  line 2: the secret is not base32\n');
    expect(run.stderr).toBe(
      'open2fa: error: nothing imported: 2 invalid entries: line 2 (the secret is not base32); ' +
        'line 3 (unknown algorithm "MD5" (open2fa supports SHA1, SHA256 and SHA512)). ' +
        'Fix the file, or use --skip-invalid to import the other 2\n',
    );
    expect(await secretsText(dir)).toBeNull();
  });

  it('imports the rest with --skip-invalid and lists what it skipped', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'mixed.txt'), WITH_INVALID);
    const run = await runOpen2fa(['import', 'mixed.txt', '--skip-invalid'], options);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('  INVALID  line 3: unknown algorithm "MD5"');
    expect(run.stdout).toContain('Imported 2 entries (0 already stored, 2 invalid skipped).\n');
    expect(await listJson(options)).toEqual([
      { name: 'Also good', secret: SECRET_C, type: 'hotp', counter: 3 },
      { name: 'Good', secret: SECRET_A },
    ]);
  });

  it('prints the report and writes nothing with --dry-run', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'aegis.json'), AEGIS);
    const run = await runOpen2fa(['import', 'aegis.json', '--dry-run'], options);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('  add      entry 3 "Counter": hotp #5\n');
    expect(
      run.stdout.endsWith(
        'Dry run: would import 4 entries (0 already stored, 0 invalid skipped); nothing was written.\n',
      ),
    ).toBe(true);
    expect(await secretsText(dir)).toBeNull();
    const mixed = join(dir, 'mixed.txt');
    await writeFile(mixed, WITH_INVALID);
    expect((await runOpen2fa(['import', mixed, '--dry-run'], options)).exitCode).toBe(2);
    expect(await secretsText(dir)).toBeNull();
  });

  it('keeps an existing Python-format file as it was and appends the new entries', async () => {
    const { dir, options } = await vaultEnv();
    const python = `{"secrets": [{"secret": "${SECRET_D}", "name": "Old"}]}`;
    await writeFile(join(dir, 'secrets.json'), python);
    await writeFile(
      join(dir, 'one.txt'),
      `otpauth://totp/New?secret=${SECRET_A}\notpauth://totp/Eight?secret=${SECRET_B}&digits=8\n`,
    );
    expect((await runOpen2fa(['import', 'one.txt'], options)).exitCode).toBe(0);
    expect(await secretsText(dir)).toBe(
      `{"secrets": [{"secret": "${SECRET_D}", "name": "Old"}, {"secret": "${SECRET_A}", "name": "New"}, ` +
        `{"secret": "${SECRET_B}", "name": "Eight", "digits": 8}]}`,
    );
  });

  it.each([
    ['Aegis', JSON.stringify({ version: 1, header: { slots: [{}], params: {} }, db: 'c2VjcmV0' })],
    ['2FAS', JSON.stringify({ services: [], servicesEncrypted: 'a:b:c', schemaVersion: 4 })],
    ['Bitwarden', JSON.stringify({ encrypted: true, passwordProtected: true, data: '2.a|b|c' })],
  ])('asks for the password of an encrypted %s export, and in a script without one exits 2', async (_app, content) => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'export.json'), content);
    const run = await runOpen2fa(['import', 'export.json'], options);
    expect(run).toMatchObject({ exitCode: 2, stderr: like(/no passphrase: stdin is not a terminal/) });
    expect(await secretsText(dir)).toBeNull();
  });

  it('refuses an OpenPGP andOTP backup with what to do', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'export.json'), '-----BEGIN PGP MESSAGE-----\n\nhQEMA\n');
    const run = await runOpen2fa(['import', 'export.json'], options);
    expect(run).toMatchObject({ exitCode: 2, stderr: like(/OpenPGP-encrypted andOTP backup .* instead/) });
    expect(run.stderr.split('\n')).toHaveLength(2);
  });

  it('refuses a damaged andOTP .aes backup, an image without a QR code and a missing file', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'otp_accounts.json.aes'), Buffer.from([0, 9, 39, 192, 255, 254, 1, 2, 3]));
    // Too short to hold a nonce, a tag and any content: damaged, whatever the password.
    const withPassword = { ...options, env: { ...options.env, OPEN2FA_PASSPHRASE: PASSPHRASE } };
    expect(await runOpen2fa(['import', 'otp_accounts.json.aes'], withPassword)).toMatchObject({
      exitCode: 2,
      stderr: like(/^open2fa: error: (cannot import|wrong password for) .*otp_accounts\.json\.aes \(andOTP/),
    });
    expect(await secretsText(dir)).toBeNull();
    const blank = qrPng('x').fill(0, 100); // a PNG header with garbage after it
    await writeFile(join(dir, 'broken.png'), blank);
    expect(await runOpen2fa(['import', 'broken.png'], options)).toMatchObject({
      exitCode: 2,
      stderr: like(/not a readable PNG image/),
    });
    expect(await runOpen2fa(['import', 'nope.txt'], options)).toMatchObject({
      exitCode: 2,
      stderr: like(/no such file/),
    });
  });
});

describe('export', () => {
  async function importedVault(): Promise<{ dir: string; options: HarnessOptions }> {
    const env = await vaultEnv({ OPEN2FA_PASSPHRASE: PASSPHRASE });
    await writeFile(join(env.dir, 'aegis.json'), AEGIS);
    expect((await runOpen2fa(['import', 'aegis.json'], env.options)).exitCode).toBe(0);
    // One entry added by name, with a secret typed in lower case and spaced.
    expect((await runOpen2fa(['add', 'w75h gifl wbu7 57su', 'Typed'], env.options)).exitCode).toBe(0);
    return env;
  }

  const roundTrips: [string, string[]][] = [
    ['otpauth', ['--format', 'otpauth']],
    ['aegis', ['--format', 'aegis']],
    ['2fas', ['--format', '2fas']],
    ['json', ['--format', 'json']],
    ['encrypted', ['--encrypted']],
  ];

  it.each(roundTrips)('%s: export → import into an empty vault gives the same entry list', async (_name, flags) => {
    const source = await importedVault();
    const before = (await listJson(source.options)) as { name: string; secret: string }[];
    const out = join(source.dir, 'export.out');
    const run = await runOpen2fa(['export', ...flags, '--output', out], source.options);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^Exported 5 entries to .* mode 0600\)\.\n$/);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const target = await vaultEnv({ OPEN2FA_PASSPHRASE: PASSPHRASE });
    const imported = await runOpen2fa(['import', out], target.options);
    expect(imported.stderr).toBe('');
    expect(imported.exitCode).toBe(0);
    const after = (await listJson(target.options)) as { name: string; secret: string }[];
    if (flags[0] === '--format' && flags[1] !== 'json') {
      // Other apps' formats carry the canonical secret; the name and every parameter survive.
      expect(after).toEqual(
        before.map((item) => (item.name === 'Typed' ? { ...item, secret: 'W75HGIFLWBU757SU' } : item)),
      );
    } else {
      expect(after).toEqual(before);
    }
  });

  it('warns on stderr that a plain export holds secrets, and prints to stdout without --output', async () => {
    const { options } = await importedVault();
    const run = await runOpen2fa(['export', '--format', 'otpauth'], options);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/^warning: this export holds your secrets in plain text/);
    expect(run.stdout.split('\n')).toContain(
      `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA256&digits=8&period=60`,
    );
  });

  it('encrypts with a passphrase file, and refuses a wrong passphrase with exit 2', async () => {
    const { dir, options } = await importedVault();
    await writeFile(join(dir, 'pass.txt'), 'another long passphrase\n');
    const noEnv = { ...options, env: { OPEN2FA_DIR: dir } };
    const run = await runOpen2fa(
      ['export', '--encrypted', '-o', 'backup.o2fa', '--passphrase-file', 'pass.txt'],
      noEnv,
    );
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    const backup = await readFile(join(dir, 'backup.o2fa'), 'utf8');
    expect(backup).not.toContain(SECRET_A);
    expect(JSON.parse(backup)).toMatchObject({ format: 'open2fa-backup', version: 1, kdf: { iterations: 600_000 } });
    const target = await vaultEnv({ OPEN2FA_PASSPHRASE: 'not the passphrase' });
    await writeFile(join(target.dir, 'backup.o2fa'), backup);
    const wrong = await runOpen2fa(['import', 'backup.o2fa'], target.options);
    expect(wrong).toMatchObject({
      exitCode: 2,
      stderr: like(/^open2fa: error: wrong password for .*backup\.o2fa \(open2fa encrypted backup\)/),
    });
    expect(await secretsText(target.dir)).toBeNull();
    const noPassphrase = await runOpen2fa(['import', 'backup.o2fa'], {
      ...target.options,
      env: { OPEN2FA_DIR: target.dir },
    });
    expect(noPassphrase).toMatchObject({
      exitCode: 2,
      stderr: like(/set OPEN2FA_PASSPHRASE or use --passphrase-file/),
    });
  });

  it.each([
    [['export'], /choose --format otpauth\|aegis\|2fas\|json/],
    [['export', '--encrypted'], /--encrypted needs --output FILE/],
    [['export', '--encrypted', '--format', 'json', '-o', 'x'], /drop --format/],
    [['export', '--format', 'csv'], /argument 'csv' is invalid/],
  ])('rejects %j with exit 2', async (argv, message) => {
    const { options } = await vaultEnv({ OPEN2FA_PASSPHRASE: PASSPHRASE });
    const run = await runOpen2fa(argv, options);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses a short passphrase for a new backup', async () => {
    const { options } = await vaultEnv({ OPEN2FA_PASSPHRASE: 'short' });
    const run = await runOpen2fa(['export', '--encrypted', '-o', 'b.o2fa'], options);
    expect(run).toMatchObject({ exitCode: 2, stderr: like(/at least 8 characters/) });
  });
});

describe('code, list and generate with the new parameters', () => {
  it('code shows an HOTP code, then advances and saves the counter; list and generate never do', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'h.txt'), `otpauth://hotp/Fob?secret=${SECRET_B}&counter=0\n`);
    await runOpen2fa(['import', 'h.txt'], options);
    for (const argv of [['list'], ['generate', '-r', '1'], ['generate', '--json']]) {
      expect((await runOpen2fa(argv, options)).exitCode).toBe(0);
    }
    const codes: string[] = [];
    for (let index = 0; index < 3; index++) {
      const run = await runOpen2fa(['code', 'fob'], options);
      expect(run.exitCode).toBe(0);
      codes.push(run.stdout.trim());
    }
    // RFC 4226 appendix D: counters 0, 1, 2.
    expect(codes).toEqual(['755224', '287082', '359152']);
    expect(codes).toEqual([0, 1, 2].map((counter) => hotpCode({ secret: SECRET_B }, counter)));
    expect(await listJson(options)).toEqual([{ name: 'Fob', secret: SECRET_B, type: 'hotp', counter: 3 }]);
  });

  it('matches -n against name, issuer or account in any case', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'aegis.json'), AEGIS);
    await runOpen2fa(['import', 'aegis.json'], options);
    const frame = JSON.parse((await runOpen2fa(['generate', '--json', '-n', 'ALICE'], options)).stdout) as {
      name: string;
    }[];
    expect(frame.map((row) => row.name)).toEqual(['GitHub:alice']);
    expect((await runOpen2fa(['code', 'github'], options)).stdout).toMatch(/^\d{6}\n$/);
    expect((await runOpen2fa(['code', '-n', 'BOB'], options)).stdout).toMatch(/^\d{8}\n$/);
    expect((await runOpen2fa(['code', 'gamer'], options)).stdout).toMatch(/^[2-9BCDFGHJKMNPQRTVWXY]{5}\n$/);
    expect((await runOpen2fa(['delete', '-n', 'steam', '-f'], options)).stdout).toBe('Deleted 1 secret(s).\n');
    expect(((await listJson(options)) as unknown[]).length).toBe(3);
  });

  it('lists a Type column when an entry is not plain TOTP, and shows 8-digit codes in the table', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'aegis.json'), AEGIS);
    await runOpen2fa(['import', 'aegis.json'], options);
    const list = await runOpen2fa(['list'], options);
    expect(list.stdout).toContain('Name            Secret    Type\n');
    expect(list.stdout).toContain('Bank:bob        G...Q     totp SHA256/8/60s\n');
    const table = await runOpen2fa(['generate', '-r', '1'], options);
    expect(table.stdout).toMatch(/\nBank:bob {8}\d{8} {5}1\.00\n/);
    expect(table.stdout).toMatch(/\nCounter {9}\d{6} {9}#5\n/);
    expect(table.stdout).toMatch(/\nSteam:gamer {5}[2-9BCDFGHJKMNPQRTVWXY]{5} {8}1\.00\n/);
  });
});

describe('qr', () => {
  /** Turns the half-block drawing back into pixels and reads it with jsQR, as a phone would. */
  function scan(drawing: string, invert: boolean): string | null {
    const lines = drawing.trimEnd().split('\n');
    const width = Math.max(...lines.map((line) => Array.from(line).length));
    const height = lines.length * 2;
    const scale = 4;
    const data = new Uint8ClampedArray(width * height * scale * scale * 4).fill(255);
    lines.forEach((line, row) => {
      Array.from(line).forEach((char, column) => {
        const halves = { '█': [true, true], '▀': [true, false], '▄': [false, true], ' ': [false, false] }[char] ?? [
          false,
          false,
        ];
        halves.forEach((drawn, half) => {
          const dark = invert ? drawn : !drawn;
          if (!dark) return;
          for (let y = 0; y < scale; y++) {
            for (let x = 0; x < scale; x++) {
              const offset = (((row * 2 + half) * scale + y) * width * scale + column * scale + x) * 4;
              data.fill(0, offset, offset + 3);
            }
          }
        });
      });
    });
    return jsQR(data, width * scale, height * scale, { inversionAttempts: 'attemptBoth' })?.data ?? null;
  }

  it.each([false, true])('draws a QR code a scanner reads back as the entry URI (invert %s)', async (invert) => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'aegis.json'), AEGIS);
    await runOpen2fa(['import', 'aegis.json'], options);
    const run = await runOpen2fa(['qr', 'bob', ...(invert ? ['--invert'] : [])], options);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/^warning: this QR code holds the secret of Bank:bob/);
    expect(run.stdout).toMatch(/^[█▀▄ \n]+$/);
    expect(scan(run.stdout, invert)).toBe(
      `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA256&digits=8&period=60`,
    );
  });

  it('needs a name that matches', async () => {
    const { options } = await vaultEnv();
    expect((await runOpen2fa(['qr', 'nobody'], options)).exitCode).toBe(2);
    expect((await runOpen2fa(['qr'], options)).exitCode).toBe(2);
  });
});
