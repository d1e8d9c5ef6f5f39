import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  detectImport,
  formatByName,
  IMPORT_FORMAT_SPECS,
} from '../../../src/core/formats/format-registry.js';
import { importSource, textSource } from '../../../src/core/formats/import-source.js';
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

  it('has a sample of every format, so that none is left out of the detection check', () => {
    expect(new Set(SAMPLES.map(([name]) => name))).toEqual(new Set(IMPORT_FORMAT_SPECS.map((spec) => spec.name)));
  });

  it.each(SAMPLES)('detects %s by its content', (name, content, fileName) => {
    const source = typeof content === 'string' ? textSource(content, fileName) : importSource(content, fileName);
    expect(detectFormat(source)?.name).toBe(name);
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
});
