import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { type ZipMemberSpec, zipFile } from '../zip-fixtures.js';
import { type FormatCase } from './format-case.js';

export const PASSWORD = 'export pässword';
export const ACCOUNTS = [
  `otpauth://totp/GitHub:alice?secret=${SECRET_A}&issuer=GitHub`,
  `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA256&digits=8&period=60`,
  '',
  `otpauth://hotp/Counter:carol?secret=${SECRET_C}&issuer=Counter&counter=3`,
  '',
].join('\r\n');

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter:carol', { type: 'hotp', issuer: 'Counter', account: 'carol', counter: 3 }),
];

export function exportZip(encryption: ZipMemberSpec['encryption'], extra: Partial<ZipMemberSpec> = {}): Uint8Array {
  return zipFile([
    { name: 'Accounts.txt', content: ACCOUNTS, password: PASSWORD, encryption, ...extra },
    { name: 'Accounts.html', content: '<html><body>QR codes</body></html>', password: PASSWORD, encryption },
  ]);
}

export const authenticatorPlusCases: readonly FormatCase[] = [
  {
    format: 'authenticator-plus',
    variant: 'encrypted export ZIP (AES-256)',
    fileName: 'Authenticator-Plus-Export.zip',
    password: PASSWORD,
    file: () => Promise.resolve(exportZip('aes-256')),
    expected: EXPECTED,
  },
];
