import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IMPORT_FORMAT_SPECS } from '../../../src/core/formats/format-registry.js';
import { encryptedTwoFas, encryptedVault } from '../../core/formats/encrypted-fixtures.js';
import { aegisEntry, SECRET_A, SECRET_B, SECRET_C, SECRET_D } from '../../core/formats/format-fixtures.js';
import { sqliteFile } from '../../core/formats/sqlite-fixtures.js';
import { DB_PASSWORD, encryptedDatabase } from '../../core/formats/cases/stratum-db-case.js';
import { freshDir, runOpen2fa, type HarnessOptions } from '../cli-harness.js';

// The CLI end of the import registry: real files of each kind, built by the core tests' builders
// from the apps' public layouts, imported through `open2fa import`, then read back with `list --json`.

const PASSWORD = 'tr0ub4dor&3 export';

/** `expect.stringMatching`, typed as the string it stands for (the matcher itself is `any`). */
function like(pattern: RegExp): string {
  return expect.stringMatching(pattern) as string;
}

async function vaultEnv(env: Record<string, string> = {}): Promise<{ dir: string; options: HarnessOptions }> {
  const dir = await freshDir();
  return { dir, options: { env: { OPEN2FA_DIR: dir, ...env }, cwd: dir } };
}

async function listed(options: HarnessOptions): Promise<unknown> {
  const run = await runOpen2fa(['list', '--json', '-s'], options);
  expect(run.exitCode).toBe(0);
  return JSON.parse(run.stdout);
}

async function secretsText(dir: string): Promise<string | null> {
  return readFile(join(dir, 'secrets.json'), 'utf8').catch(() => null);
}

const AEGIS_GROUPS = [
  { uuid: '11111111-1111-4111-8111-111111111111', name: 'Work' },
  { uuid: '22222222-2222-4222-8222-222222222222', name: 'Money' },
];

const AEGIS_CONTENT = {
  version: 3,
  entries: [
    {
      ...aegisEntry('totp', 'GitHub', 'alice', { secret: SECRET_A, algo: 'SHA1', digits: 6, period: 30 }, 'in safe'),
      favorite: true,
      groups: [AEGIS_GROUPS[0]?.uuid],
    },
    {
      ...aegisEntry('totp', 'Bank', 'bob', { secret: SECRET_B, algo: 'SHA256', digits: 8, period: 60 }),
      groups: [AEGIS_GROUPS[0]?.uuid, AEGIS_GROUPS[1]?.uuid],
    },
    aegisEntry('hotp', 'Counter', '', { secret: SECRET_C, algo: 'SHA512', digits: 7, counter: 5 }),
    aegisEntry('steam', 'Steam', 'gamer', { secret: SECRET_D, algo: 'SHA1', digits: 5, period: 30 }),
  ],
  groups: AEGIS_GROUPS,
};

/** `list --json -s` of AEGIS_CONTENT: sorted by name, defaults left out. */
const AEGIS_LISTED = [
  {
    name: 'Bank:bob',
    secret: SECRET_B,
    issuer: 'Bank',
    account: 'bob',
    algorithm: 'SHA256',
    digits: 8,
    period: 60,
    groups: ['Work', 'Money'],
  },
  { name: 'Counter', secret: SECRET_C, issuer: 'Counter', type: 'hotp', algorithm: 'SHA512', digits: 7, counter: 5 },
  {
    name: 'GitHub:alice',
    secret: SECRET_A,
    issuer: 'GitHub',
    account: 'alice',
    note: 'in safe',
    groups: ['Work'],
    favorite: true,
  },
  { name: 'Steam:gamer', secret: SECRET_D, issuer: 'Steam', account: 'gamer', type: 'steam' },
];

// Google Authenticator's `databases` file: table accounts (email, secret, counter, type 0 TOTP /
// 1 HOTP, issuer, original_name), as Aegis's GoogleAuthImporter documents it.
async function googleDatabase(): Promise<Uint8Array> {
  const insert = 'INSERT INTO accounts (email, secret, counter, type, issuer, original_name) VALUES (?, ?, ?, ?, ?, ?)';
  return sqliteFile(
    [
      'CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL, counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL, original_name TEXT DEFAULT NULL)',
      insert,
      insert,
    ],
    [
      [],
      ['alice@example.com', SECRET_A.toLowerCase(), 0, 0, 'GitHub', 'GitHub:alice@example.com'],
      ['carol', SECRET_C, 17, 1, '', 'carol'],
    ],
  );
}

describe('import of encrypted exports', () => {
  it('reads an encrypted Aegis vault with OPEN2FA_PASSPHRASE: every parameter, groups and favourite', async () => {
    const { dir, options } = await vaultEnv({ OPEN2FA_PASSPHRASE: PASSWORD });
    await writeFile(join(dir, 'aegis-export.json'), encryptedVault(AEGIS_CONTENT, [PASSWORD], 2 ** 10));
    const run = await runOpen2fa(['import', 'aegis-export.json'], options);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(run.stdout.split('\n')[0]).toBe(
      `Aegis (JSON, plain or encrypted): 4 entries in ${join(dir, 'aegis-export.json')}`,
    );
    expect(await listed(options)).toEqual(AEGIS_LISTED);
  });

  it('reads an encrypted 2FAS backup with --passphrase-file, keeping its group', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'password.txt'), `${PASSWORD}\n`);
    const services = [
      {
        name: 'GitHub',
        secret: SECRET_A,
        updatedAt: 1700000000000,
        otp: {
          source: 'Manual',
          account: 'alice',
          issuer: 'GitHub',
          digits: 6,
          period: 30,
          algorithm: 'SHA1',
          tokenType: 'TOTP',
        },
        order: { position: 0 },
        groupId: 'g-1',
      },
      {
        name: 'Counter',
        secret: SECRET_C,
        updatedAt: 1700000000000,
        otp: { source: 'Manual', account: 'c', digits: 7, counter: 9, algorithm: 'SHA256', tokenType: 'HOTP' },
        order: { position: 1 },
      },
    ];
    const groups = [{ id: 'g-1', name: 'Work', isExpanded: true }];
    await writeFile(join(dir, 'backup.2fas'), encryptedTwoFas(services, PASSWORD, { groups }));
    const run = await runOpen2fa(['import', 'backup.2fas', '--passphrase-file', 'password.txt'], options);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await listed(options)).toEqual([
      {
        name: 'Counter:c',
        secret: SECRET_C,
        issuer: 'Counter',
        account: 'c',
        type: 'hotp',
        algorithm: 'SHA256',
        digits: 7,
        counter: 9,
      },
      { name: 'GitHub:alice', secret: SECRET_A, issuer: 'GitHub', account: 'alice', groups: ['Work'] },
    ]);
  });

  it('refuses a wrong password with exit 2 and a clear message, and writes nothing', async () => {
    const { dir, options } = await vaultEnv({ OPEN2FA_PASSPHRASE: 'not the password' });
    await writeFile(join(dir, 'aegis-export.json'), encryptedVault(AEGIS_CONTENT, [PASSWORD], 2 ** 10));
    const run = await runOpen2fa(['import', 'aegis-export.json'], options);
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `open2fa: error: wrong password for ${join(dir, 'aegis-export.json')} (Aegis (JSON, plain or encrypted)), or the file was changed: nothing was imported\n`,
    });
    expect(await secretsText(dir)).toBeNull();
  });

  it('asks for the password on a terminal only when the file needs one', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'aegis-export.json'), encryptedVault(AEGIS_CONTENT, [PASSWORD], 2 ** 10));
    const terminal = { ...options, stdin: `${PASSWORD}\n`, stdinIsTTY: true };
    const encrypted = await runOpen2fa(['import', 'aegis-export.json', '--dry-run'], terminal);
    expect(encrypted).toMatchObject({ exitCode: 0, stdout: like(/Dry run: would import 4 entries/) });
    expect(encrypted.stderr).toContain('Passphrase of the backup: ');
    await writeFile(join(dir, 'plain.txt'), `otpauth://totp/x?secret=${SECRET_A}\n`);
    const plain = await runOpen2fa(['import', 'plain.txt', '--dry-run'], terminal);
    expect(plain).toMatchObject({ exitCode: 0, stderr: '' });
  });
  it('opens an app database encrypted with SQLCipher with the password; a wrong one exits 2 and writes nothing', async () => {
    const { dir, options } = await vaultEnv({ OPEN2FA_PASSPHRASE: 'not the app password' });
    await writeFile(join(dir, 'authenticator.db3'), await encryptedDatabase());
    expect(await runOpen2fa(['import', 'authenticator.db3'], options)).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: like(
        /^open2fa: error: wrong password for .*authenticator\.db3 \(Stratum .*\), or the file was changed: nothing was imported\n$/,
      ),
    });
    expect(await secretsText(dir)).toBeNull();
    const right = { ...options, env: { ...options.env, OPEN2FA_PASSPHRASE: DB_PASSWORD } };
    const run = await runOpen2fa(['import', 'authenticator.db3'], right);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(run.stdout.split('\n')[0]).toMatch(/^Stratum .*: 4 entries in /);
    expect(((await listed(right)) as { name: string }[]).map((entry) => entry.name)).toEqual([
      'Bank:bob',
      'Counter:carol',
      'GitHub:alice',
      'Steam:gamer',
    ]);
  });
});

describe('import of plain exports of more apps', () => {
  it('reads a Bitwarden CSV export: the TOTP logins, with folder and favourite', async () => {
    const { dir, options } = await vaultEnv();
    const csv = [
      'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp',
      `Work,1,login,GitHub,,,0,https://github.com,alice,pw,${SECRET_A}`,
      `,,login,Bank,,,0,,bob,pw,otpauth://totp/Bank:bob?secret=${SECRET_B}&algorithm=SHA256&digits=8&period=60`,
      ',,login,No 2FA,,,0,,x,pw,',
    ].join('\n');
    await writeFile(join(dir, 'bitwarden_export.csv'), `${csv}\n`);
    const run = await runOpen2fa(['import', 'bitwarden_export.csv'], options);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(run.stdout.split('\n')[0]).toBe(`Bitwarden (CSV): 2 entries in ${join(dir, 'bitwarden_export.csv')}`);
    expect(await listed(options)).toEqual([
      {
        name: 'Bank:bob',
        secret: SECRET_B,
        issuer: 'Bank',
        account: 'bob',
        algorithm: 'SHA256',
        digits: 8,
        period: 60,
      },
      { name: 'GitHub:alice', secret: SECRET_A, issuer: 'GitHub', account: 'alice', groups: ['Work'], favorite: true },
    ]);
  });

  it("reads Google Authenticator's internal database, a binary SQLite file", async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'databases'), await googleDatabase());
    const run = await runOpen2fa(['import', 'databases'], options);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(run.stdout.split('\n')[0]).toMatch(/^Google Authenticator .*: 2 entries in /);
    expect(await listed(options)).toEqual([
      { name: 'carol', secret: SECRET_C, type: 'hotp', counter: 17 },
      { name: 'GitHub:alice@example.com', secret: SECRET_A, issuer: 'GitHub', account: 'alice@example.com' },
    ]);
  });
});

describe('import --format and --list-formats', () => {
  it('lists every format of the registry with its --format name and whether it is encrypted', async () => {
    const run = await runOpen2fa(['import', '--list-formats']);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1).map((line) => line.split(/\s+/)[0])).toEqual(
      IMPORT_FORMAT_SPECS.map((spec) => spec.name),
    );
    expect(lines).toContainEqual(like(/^aegis +Aegis \(JSON, plain or encrypted\) \[plain or encrypted\]$/));
    expect(lines).toContainEqual(like(/^authenticator-plus +.* \[encrypted\]$/));
    expect(lines).toContainEqual(like(/^bitwarden-csv +Bitwarden \(CSV\) \[plain\]$/));
  });

  it('forces a format with --format NAME, and refuses an unknown name or a file of another format', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'databases'), await googleDatabase());
    const forced = await runOpen2fa(
      ['import', '--format', 'Google-Authenticator-DB', 'databases', '--dry-run'],
      options,
    );
    expect(forced).toMatchObject({ exitCode: 0, stdout: like(/Dry run: would import 2 entries/) });
    expect(await runOpen2fa(['import', '--format', 'wordperfect', 'databases'], options)).toMatchObject({
      exitCode: 2,
      stderr: like(/unknown format "wordperfect": see open2fa import --list-formats/),
    });
    const wrong = await runOpen2fa(['import', '--format', 'aegis', 'databases'], options);
    expect(wrong).toMatchObject({ exitCode: 2, stderr: like(/^open2fa: error: cannot import .*databases \(Aegis/) });
    expect(await secretsText(dir)).toBeNull();
  });

  it('says so when no format matches, and needs a file', async () => {
    const { dir, options } = await vaultEnv();
    await writeFile(join(dir, 'diary.txt'), 'dear diary\n');
    expect(await runOpen2fa(['import', 'diary.txt'], options)).toMatchObject({
      exitCode: 2,
      stderr: like(/its format is none of the \d+ known \(see open2fa import --list-formats/),
    });
    expect(await runOpen2fa(['import'], options)).toMatchObject({
      exitCode: 2,
      stderr: like(/name the file to import/),
    });
  });
});

const ROOT = join(import.meta.dirname, '..', '..', '..');
const HEAVY = /\/node_modules\/(sql\.js|fflate|@noble\/ciphers|@noble\/hashes\/(esm\/)?(scrypt|argon2))/;

/**
 * Runs the built CLI with a module-resolution hook that writes every URL it resolves to a log, and
 * returns the heavy decoders among them.
 */
async function decodersLoaded(dir: string, argv: readonly string[]): Promise<string[]> {
  const log = join(dir, 'resolved.log');
  await writeFile(log, '');
  await writeFile(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');
  return resolved;
}
`,
  );
  await writeFile(
    join(dir, 'register.mjs'),
    "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n",
  );
  const args = ['--import', join(dir, 'register.mjs'), join(ROOT, 'bin', 'open2fa'), ...argv];
  await promisify(execFile)(process.execPath, args, { env: { OPEN2FA_DIR: dir, HOME: dir }, cwd: dir });
  const urls = (await readFile(log, 'utf8')).split('\n');
  expect(urls.some((url) => url.endsWith('/dist/cli/main.js'))).toBe(true);
  return [...new Set(urls.filter((url) => HEAVY.test(url)).map((url) => HEAVY.exec(url)?.[1] ?? url))];
}

describe('the CLI start stays light', () => {
  it('loads no sql.js, fflate or @noble decoder to start, list, or import a plain file; a database loads sql.js', async () => {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'program.js'))) {
      throw new Error('dist/ is not built: run `npm run build` (npm test does) first');
    }
    const dir = await freshDir();
    expect(await decodersLoaded(dir, ['--help'])).toEqual([]);
    expect(await decodersLoaded(dir, ['list'])).toEqual([]);
    await writeFile(join(dir, 'plain.txt'), `otpauth://totp/x?secret=${SECRET_A}\n`);
    expect(await decodersLoaded(dir, ['import', 'plain.txt', '--dry-run'])).toEqual([]);
    // The hook does see a decoder when one is needed.
    await writeFile(join(dir, 'databases'), await googleDatabase());
    expect(await decodersLoaded(dir, ['import', 'databases', '--dry-run'])).toEqual(['sql.js']);
  });
});

describe('exports that other apps import, round-tripped through open2fa import', () => {
  /** A vault of `count` TOTP entries (and one Steam entry, which a transfer cannot hold). */
  async function filledVault(count: number, env: Record<string, string> = {}) {
    const vault = await vaultEnv(env);
    const lines = Array.from(
      { length: count },
      (_, index) =>
        `otpauth://totp/Site${String(index)}:user${String(index)}?secret=JBSWY3DPEHPK3P${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.charAt(index)}Q&issuer=Site${String(index)}&digits=${index % 2 === 0 ? '6' : '8'}&algorithm=${index % 3 === 0 ? 'SHA1' : 'SHA256'}`,
    );
    lines.push(`otpauth://steam/Steam:gamer?secret=${SECRET_D}&issuer=Steam`);
    await writeFile(join(vault.dir, 'lines.txt'), `${lines.join('\n')}\n`);
    expect(await runOpen2fa(['import', 'lines.txt'], vault.options)).toMatchObject({ exitCode: 0 });
    return vault;
  }

  it('google-migration: QR codes of up to 10 entries on the terminal, the links, and Steam left out', async () => {
    const { options } = await filledVault(12);
    const run = await runOpen2fa(['export', '--format', 'google-migration'], options);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/^warning: left out Steam:gamer: Google Authenticator has no Steam codes\n/);
    const uris = run.stdout.split('\n').filter((line) => line.startsWith('otpauth-migration://offline?data='));
    expect(uris).toHaveLength(2);
    const { renderQr } = await import('../../../src/cli/output/qr-render.js');
    expect(run.stdout).toBe(
      uris.map((uri, index) => `QR code ${String(index + 1)} of 2:\n${renderQr(uri)}${uri}\n\n`).join(''),
    );
    const back = await vaultEnv();
    await writeFile(join(back.dir, 'transfer.txt'), `${uris.join('\n')}\n`);
    const imported = await runOpen2fa(['import', 'transfer.txt'], back.options);
    expect(imported).toMatchObject({ exitCode: 0, stdout: like(/Imported 12 entries/) });
    const original = ((await listed(options)) as { type?: string }[]).filter((entry) => entry.type !== 'steam');
    expect(await listed(back.options)).toEqual(original);
  });

  it('google-migration to a file: one link a line', async () => {
    const { dir, options } = await filledVault(3);
    const run = await runOpen2fa(['export', '--format', 'google-migration', '-o', 'transfer.txt'], options);
    expect(run).toMatchObject({ exitCode: 0, stdout: like(/^Exported 4 entries to .*transfer\.txt/) });
    expect(await readFile(join(dir, 'transfer.txt'), 'utf8')).toMatch(/^otpauth-migration:\/\/offline\?data=\S+\n$/);
  });

  it('aegis-encrypted: written with the passphrase, read back with it, refused with another', async () => {
    const { dir, options } = await filledVault(3, { OPEN2FA_PASSPHRASE: PASSWORD });
    const run = await runOpen2fa(['export', '--format', 'aegis-encrypted', '-o', 'aegis.json'], options);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    const file = await readFile(join(dir, 'aegis.json'), 'utf8');
    expect(file).not.toContain(SECRET_A);
    expect(JSON.parse(file)).toMatchObject({ version: 1, header: { slots: [{ type: 1, n: 2 ** 15, r: 8, p: 1 }] } });
    const back = await vaultEnv({ OPEN2FA_PASSPHRASE: PASSWORD });
    await writeFile(join(back.dir, 'aegis.json'), file);
    expect(await runOpen2fa(['import', 'aegis.json'], back.options)).toMatchObject({ exitCode: 0 });
    expect(await listed(back.options)).toEqual(await listed(options));
    const other = await vaultEnv({ OPEN2FA_PASSPHRASE: 'another passphrase' });
    await writeFile(join(other.dir, 'aegis.json'), file);
    expect(await runOpen2fa(['import', 'aegis.json'], other.options)).toMatchObject({
      exitCode: 2,
      stderr: like(/wrong password/),
    });
    expect(await secretsText(other.dir)).toBeNull();
  });
});
