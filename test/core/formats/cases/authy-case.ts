import { base64 } from '@scure/base';
import { makeEntry } from '../../../../src/core/entry/model.js';
import { aesCbc, pbkdf2Bytes, sharedPrefsXml } from '../android-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

export interface AuthyToken {
  readonly decryptedSecret: string;
  readonly [field: string]: unknown;
}

export const AUTHENTICATOR_KEY = 'com.authy.storage.tokens.authenticator.key';
export const PASSWORD = 'authy backup password';

export const PLAIN: readonly AuthyToken[] = [
  {
    accountType: 'github',
    decryptedSecret: SECRET_A,
    digits: 6,
    name: 'GitHub: alice',
    originalName: 'GitHub:alice',
    originalIssuer: 'GitHub',
    timestamp: 1,
  },
  { accountType: 'bank', decryptedSecret: SECRET_B, digits: 8, name: 'Bank - bob', originalName: 'bob', timestamp: 2 },
  { accountType: 'dropbox', decryptedSecret: SECRET_C, digits: 6, name: 'carol@example.com', timestamp: 3 },
];

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', digits: 8 }),
  makeEntry(SECRET_C, 'Dropbox:carol@example.com', { issuer: 'Dropbox', account: 'carol@example.com' }),
];

export async function encrypted(token: AuthyToken, index: number, password = PASSWORD): Promise<object> {
  const { decryptedSecret, ...rest } = token;
  const salt = `salt-${String(index)}-QmFzZTY0`;
  const key = await pbkdf2Bytes(password, new TextEncoder().encode(salt), 1000, 'SHA-1', 32);
  const ciphertext = await aesCbc(key, new Uint8Array(16), new TextEncoder().encode(decryptedSecret));
  return { ...rest, encryptedSecret: base64.encode(ciphertext), salt };
}

const tokensFile = (tokens: readonly object[]): string => sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(tokens)]]);

export const authyCases: readonly FormatCase[] = [
  {
    format: 'authy',
    variant: 'shared preferences XML',
    fileName: 'com.authy.storage.tokens.authenticator.xml',
    file: () => Promise.resolve(tokensFile(PLAIN)),
    expected: EXPECTED,
  },
  {
    format: 'authy',
    variant: 'shared preferences XML, secrets encrypted (PBKDF2, AES-CBC)',
    fileName: 'com.authy.storage.tokens.authenticator.xml',
    password: PASSWORD,
    file: async () => tokensFile(await Promise.all(PLAIN.map((token, index) => encrypted(token, index)))),
    expected: EXPECTED,
  },
];
