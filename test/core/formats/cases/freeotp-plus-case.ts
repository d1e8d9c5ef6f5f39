import { makeEntry } from '../../../../src/core/entry/model.js';
import { base32Of, signedBytes } from '../android-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C, SECRET_D } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

export const token = (fields: Record<string, unknown>, secret: string): Record<string, unknown> => ({
  ...fields,
  secret: signedBytes(base32Of(secret)),
});

export const TOKENS = [
  token(
    { algo: 'SHA1', counter: 0, digits: 6, issuerExt: 'GitHub', label: 'alice', period: 30, type: 'TOTP' },
    SECRET_A,
  ),
  token({ algo: 'SHA256', counter: 0, digits: 8, issuerExt: 'Bank', label: 'bob', period: 60, type: 'TOTP' }, SECRET_B),
  token(
    { algo: 'SHA512', counter: 42, digits: 6, issuerExt: 'Counter', label: 'carol', period: 30, type: 'HOTP' },
    SECRET_C,
  ),
  token(
    { algo: 'SHA1', counter: 0, digits: 5, issuerExt: 'Steam', label: 'gamer', period: 30, type: 'TOTP' },
    SECRET_D,
  ),
];

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter:carol', {
    type: 'hotp',
    issuer: 'Counter',
    account: 'carol',
    algorithm: 'SHA512',
    counter: 42,
  }),
  makeEntry(SECRET_D, 'Steam:gamer', { type: 'steam', issuer: 'Steam', account: 'gamer' }),
];

/** FreeOTP+'s JSON export of TOKENS. */
export const JSON_EXPORT = JSON.stringify({
  tokenOrder: ['GitHub:alice', 'Bank:bob', 'Counter:carol', 'Steam:gamer'],
  tokens: TOKENS,
});

export const freeotpPlusCases: readonly FormatCase[] = [
  {
    format: 'freeotp-plus',
    variant: 'JSON export',
    fileName: 'freeotp-backup.json',
    file: () => Promise.resolve(JSON_EXPORT),
    expected: EXPECTED,
  },
];
