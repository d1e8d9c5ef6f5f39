import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  detectImport,
  formatByName,
  IMPORT_FORMAT_SPECS,
} from '../../../src/core/formats/format-registry.js';
import type { ImportSource } from '../../../src/core/formats/format-spec.js';
import { importSource, textSource } from '../../../src/core/formats/import-source.js';
import { counting, javaStringMap, sharedPrefsXml, sourceOf } from './android-fixtures.js';
import {
  aegisEntry,
  aegisVault,
  andOtpBackup,
  andOtpEntry,
  base32Bytes,
  bitwardenExport,
  migrationUri,
  SECRET_A,
  twoFasBackup,
  twoFasService,
} from './format-fixtures.js';
import { like } from './format-test-helpers.js';
import { sqliteFile } from './sqlite-fixtures.js';
import { zipFile } from './zip-fixtures.js';

/** One small file per format, each as its app writes it; more formats add their rows here. */
const SAMPLES: [string, string | Uint8Array, string?][] = [
  ['open2fa-backup', JSON.stringify({ format: 'open2fa-backup', version: 1 })],
  ['open2fa', JSON.stringify({ format: 'open2fa-export', version: 1, entries: [] })],
  ['aegis', aegisVault([aegisEntry('totp', 'x', 'y', { secret: SECRET_A })])],
  ['aegis', JSON.stringify({ version: 1, header: { slots: [], params: {} }, db: 'AAAA' })],
  ['2fas', twoFasBackup([twoFasService('x', SECRET_A, {})])],
  ['bitwarden', bitwardenExport([{ name: 'x', totp: SECRET_A }])],
  ['bitwarden', JSON.stringify({ encrypted: true, passwordProtected: true, data: '2.a|b|c' })],
  [
    'ente-auth',
    JSON.stringify({
      version: 1,
      kdfParams: { memLimit: 1, opsLimit: 1, salt: '' },
      encryptedData: '',
      encryptionNonce: '',
    }),
  ],
  ['proton-pass', JSON.stringify({ version: '1', encrypted: false, vaults: {} })],
  ['proton-pass', zipSync({ 'Proton Pass/data.json': new Uint8Array([123, 125]) })],
  ['proton-authenticator', JSON.stringify({ version: 1, entries: [{ content: { uri: 'otpauth://totp/x' } }] })],
  ['stratum', JSON.stringify({ Authenticators: [], Categories: [] })],
  ['stratum', new Uint8Array([...new TextEncoder().encode('AUTHENTICATORPRO'), ...new Array<number>(60).fill(0xa5)])],
  ['stratum', new Uint8Array([...new TextEncoder().encode('AuthenticatorPro'), ...new Array<number>(60).fill(0xa5)])],
  ['steam', JSON.stringify({ shared_secret: 'AAAA', account_name: 'x' })],
  ['steam', JSON.stringify({ accounts: { 1: { shared_secret: 'AAAA', account_name: 'x' } } })],
  ['duo', JSON.stringify([{ name: 'x', otpGenerator: { otpSecret: SECRET_A } }])],
  ['winauth', `otpauth://totp/x?secret=${SECRET_A}`, 'WinAuth-export.txt'],
  ['andotp', andOtpBackup([andOtpEntry({ secret: SECRET_A, type: 'TOTP' })])],
  ['andotp', '-----BEGIN PGP MESSAGE-----\n\nabc\n'],
  ['andotp', new Uint8Array([0, 2, 0x22, 0xe0, ...new Array<number>(60).fill(0xa5)]), 'otp_accounts.json.aes'],
  [
    'bitwarden-csv',
    `folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n,,login,x,,,0,,y,z,${SECRET_A}`,
  ],
  ['google-migration', migrationUri([{ secret: base32Bytes(SECRET_A), name: 'x' }])],
  ['otpauth', `otpauth://totp/x?secret=${SECRET_A}`],
];

/** The XML, binary, database and ZIP formats: building a SQLite file is asynchronous. */
async function binarySamples(): Promise<[string, ImportSource][]> {
  return [
    ['freeotp', sourceOf(sharedPrefsXml([['tokenOrder', '[]']]))],
    ['freeotp', sourceOf(javaStringMap([['masterKey', '{}']]))],
    ['freeotp-plus', sourceOf(JSON.stringify({ tokenOrder: [], tokens: [] }))],
    ['authy', sourceOf(sharedPrefsXml([['com.authy.storage.tokens.authenticator.key', '[]']]))],
    ['battle-net', sourceOf(sharedPrefsXml([['com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET', '00']]))],
    [
      'google-authenticator-db',
      sourceOf(
        await sqliteFile([
          'CREATE TABLE accounts (_id INTEGER, email TEXT, secret TEXT, counter INTEGER, type INTEGER, issuer TEXT, original_name TEXT)',
        ]),
      ),
    ],
    [
      'microsoft-authenticator',
      sourceOf(
        await sqliteFile([
          'CREATE TABLE accounts (_id INTEGER, name TEXT, username TEXT, oath_secret_key TEXT, account_type INTEGER)',
        ]),
      ),
    ],
    [
      'stratum-db',
      sourceOf(
        await sqliteFile([
          'CREATE TABLE "authenticator" ("type" integer, "issuer" varchar, "username" varchar, "secret" varchar, "algorithm" integer, "digits" integer, "period" integer, "counter" integer)',
        ]),
      ),
    ],
    ['stratum-db', sourceOf(counting(4096, 1), 'authenticator.db3')],
    [
      'authenticator-plus',
      sourceOf(zipFile([{ name: 'Accounts.txt', content: 'x', password: 'p', encryption: 'aes-256' }])),
    ],
    ['authenticator-plus', sourceOf(counting(4096, 2), 'authplus.db')],
    ['totp-authenticator', sourceOf(sharedPrefsXml([['STATIC_TOTP_CODES_LIST', '[]']]))],
    ['totp-authenticator', sourceOf(Buffer.from(counting(64, 3)).toString('base64'))],
  ];
}

async function allSamples(): Promise<[string, ImportSource][]> {
  const plain = SAMPLES.map(([name, content, fileName]): [string, ImportSource] => [
    name,
    typeof content === 'string' ? textSource(content, fileName) : importSource(content, fileName),
  ]);
  return [...plain, ...(await binarySamples())];
}

describe('the import format registry', () => {
  it('names every format once, in lower case with hyphens, with a label', () => {
    const names = IMPORT_FORMAT_SPECS.map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
    for (const spec of IMPORT_FORMAT_SPECS) {
      expect(spec.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(spec.label).not.toBe('');
      expect(formatByName(spec.name)).toBe(spec);
      expect(formatByName(` ${spec.name.toUpperCase()} `)).toBe(spec);
    }
    expect(formatByName('wordperfect')).toBeUndefined();
  });

  it('has a sample of every format, so that none is left out of the detection check', async () => {
    const names = (await allSamples()).map(([name]) => name);
    expect(new Set(names)).toEqual(new Set(IMPORT_FORMAT_SPECS.map((spec) => spec.name)));
  });

  it('detects each sample by its own format and by no other', async () => {
    for (const [name, source] of await allSamples()) {
      // The one overlap: the generic reader of URI lines, listed after them, also accepts a WinAuth
      // export (otpauth lines, told apart by its file name) and transfer links (a file may mix both).
      const matching = IMPORT_FORMAT_SPECS.filter((spec) => spec.detect(source))
        .map((spec) => spec.name)
        .filter((found) => !(['winauth', 'google-migration'].includes(name) && found === 'otpauth'));
      expect([name, matching]).toEqual([name, [name]]);
      expect(detectFormat(source)?.name).toBe(name);
    }
  });

  it('detects nothing in empty, random, unrelated JSON or XML files, and never throws', () => {
    const others = [
      sourceOf(new Uint8Array(0)),
      sourceOf(counting(5000, 77)),
      sourceOf('{"entries": [], "header": {}}'),
      sourceOf('<?xml version="1.0"?><svg></svg>'),
      sourceOf(sharedPrefsXml([['something.else', 'x']])),
      sourceOf(new Uint8Array([0xac, 0xed, 0x00])),
      sourceOf(new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Uint8Array(18)])),
    ];
    for (const source of others) {
      expect(IMPORT_FORMAT_SPECS.filter((spec) => spec.detect(source)).map((spec) => spec.name)).toEqual([]);
    }
  });

  it.each([
    ['an unknown JSON object', '{"hello": 1}'],
    ['plain prose', 'dear diary\ntoday I'],
    ['broken JSON', '{"services": ['],
    ['nothing', ''],
  ])('names no format for %s', async (_why, text) => {
    expect(await detectImport(textSource(text))).toEqual({ kind: 'unknown-format', message: like(/^unknown format/) });
  });

  it('asks for a password before reading an encrypted file, and reads a plain one without', async () => {
    const encrypted = textSource(JSON.stringify({ version: 1, header: { slots: [], params: {} }, db: 'AAAA' }));
    expect(await detectImport(encrypted)).toEqual({ kind: 'password-needed', format: 'aegis' });
    const plain = textSource(`\uFEFFotpauth://totp/x?secret=${SECRET_A}`);
    expect(await detectImport(plain, { password: 'ignored' })).toMatchObject({ kind: 'entries', format: 'otpauth' });
  });

  it('reads a binary file as bytes, without text', () => {
    const source = importSource(new Uint8Array([0xff, 0xfe, 0x00, 0x80]), 'x.bin');
    expect(source.text).toBeNull();
    expect(detectFormat(source)).toBeUndefined();
  });

  it('keeps the heavy decoders out of the start: sql.js, fflate and @noble/ciphers are imported only inside parse', () => {
    const root = join(import.meta.dirname, '../../../src/core/formats');
    const files = [
      ...readdirSync(root).map((file) => join(root, file)),
      ...readdirSync(join(root, 'decoders')).map((file) => join(root, 'decoders', file)),
    ].filter((path) => path.endsWith('.ts'));
    const heavy =
      /^import (?!type)[^;]*from '(sql\.js|fflate|@noble\/ciphers[^']*|@noble\/hashes\/(argon2|scrypt)[^']*)';/m;
    // A module may import a decoder at its top only if it is itself loaded lazily (`await import`)
    // everywhere: secretstream.ts, Ente Auth's cipher, is such a module.
    const lazyOnly = files
      .filter((file) => heavy.test(readFileSync(file, 'utf8')))
      .map((file) => basename(file, '.ts'));
    expect(lazyOnly).toEqual(['secretstream']);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const module of lazyOnly) {
        // `import type` is erased; a value import would load the decoder with the module.
        expect([file, new RegExp(`^import (?!type)[^;]*from '[./]*${module}\\.js';`, 'm').test(text)]).toEqual([
          file,
          false,
        ]);
      }
    }
  });
});
