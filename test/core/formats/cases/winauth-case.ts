import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

// WinAuth's text export: otpauth:// lines labelled with the authenticator's name in WinAuth.

export const TEXT = [
  `otpauth://totp/Google?secret=${SECRET_A}&digits=6`,
  `otpauth://totp/Work%20VPN?secret=${SECRET_B}&digits=8&period=60&algorithm=SHA256`,
  `otpauth://totp/alice?secret=${SECRET_A}&issuer=GitHub`,
  'otpauth://totp/Broken?secret=1',
].join('\r\n');

export const EXPECTED = [
  makeEntry(SECRET_A, 'Google', { issuer: 'Google' }),
  makeEntry(SECRET_B, 'Work VPN', { issuer: 'Work VPN', digits: 8, period: 60, algorithm: 'SHA256' }),
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
];

export const winAuthCases: readonly FormatCase[] = [
  {
    format: 'winauth',
    variant: 'text export',
    fileName: 'winauth-2024-01-01.txt',
    file: () => Promise.resolve(TEXT),
    expected: EXPECTED,
    refused: ['line 4'],
  },
];
