import { base64, hex } from '@scure/base';
import { makeEntry } from '../../../../src/core/entry/model.js';
import { aesCbc, base32Of, sharedPrefsXml } from '../android-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

export const LIST = [
  { base: 32, key: SECRET_A, name: 'alice', issuer: 'GitHub' },
  { base: 16, key: hex.encode(base32Of(SECRET_B)), name: 'bob', issuer: 'Bank' },
  { base: 64, key: base64.encode(base32Of(SECRET_C)), name: 'carol@example.com', issuer: '' },
];

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob' }),
  makeEntry(SECRET_C, 'carol@example.com'),
];

export async function backup(list: readonly unknown[], password: string): Promise<string> {
  const key = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(password)));
  const document = JSON.stringify({ [JSON.stringify(list)]: '2024-05-01' });
  const ciphertext = await aesCbc(key, new Uint8Array(16), new TextEncoder().encode(document));
  // The app wraps its base64 at 76 characters.
  return `${base64.encode(ciphertext).replace(/(.{76})/g, '$1\n')}\n`;
}

const PASSWORD = 'my backup password';

export const totpAuthenticatorCases: readonly FormatCase[] = [
  {
    format: 'totp-authenticator',
    variant: 'encrypted backup (SHA-256 key, AES-CBC)',
    fileName: 'TOTP_Authenticator_backup.encrypt',
    password: PASSWORD,
    file: () => backup(LIST, PASSWORD),
    expected: EXPECTED,
  },
  {
    format: 'totp-authenticator',
    variant: 'preferences XML',
    fileName: 'TOTP_Authenticator_Preferences.xml',
    file: () => Promise.resolve(sharedPrefsXml([['STATIC_TOTP_CODES_LIST', JSON.stringify(LIST)]])),
    expected: EXPECTED,
  },
];
