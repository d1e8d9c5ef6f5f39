import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

// Duo Mobile's duokit/accounts.json: `[{ name, otpGenerator { otpSecret, counter? }, … }]`.

export const ACCOUNTS = [
  { name: 'GitHub', accountType: 'OtpAccount', otpGenerator: { otpSecret: SECRET_A } },
  { name: 'VPN', accountType: 'OtpAccount', otpGenerator: { otpSecret: SECRET_B, counter: 17 } },
  { name: 'Broken', otpGenerator: { otpSecret: '!!' } },
];

export const EXPECTED = [makeEntry(SECRET_A, 'GitHub'), makeEntry(SECRET_B, 'VPN', { type: 'hotp', counter: 17 })];

export const duoCases: readonly FormatCase[] = [
  {
    format: 'duo',
    variant: 'accounts.json',
    fileName: 'accounts.json',
    file: () => Promise.resolve(JSON.stringify(ACCOUNTS)),
    expected: EXPECTED,
    refused: ['account 3 "Broken"'],
  },
];
