import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

// Proton Authenticator's export: `{ version, entries: [{ id, content { id, uri, entry_type, name }, note }] }`.

export function entry(name: string, uri: string, type = 'Totp', note: string | null = null): Record<string, unknown> {
  return { id: `id-${name}`, content: { id: `c-${name}`, uri, entry_type: type, name }, note };
}

export const EXPORT = {
  version: 1,
  entries: [
    entry('alice', `otpauth://totp/GitHub:alice?secret=${SECRET_A}&issuer=GitHub`, 'Totp', 'work laptop'),
    entry('bob', `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA512&digits=8&period=60`),
    entry('Home VPN', `otpauth://totp/?secret=${SECRET_C}&digits=7`),
    entry('gamer', `steam://${SECRET_A}`, 'Steam'),
    entry('broken', 'otpauth://totp/x?secret=0'),
  ],
};

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice', note: 'work laptop' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA512', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Home VPN', { digits: 7 }),
  makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
];

export const protonAuthenticatorCases: readonly FormatCase[] = [
  {
    format: 'proton-authenticator',
    variant: 'JSON export',
    fileName: 'Proton Authenticator export.json',
    file: () => Promise.resolve(JSON.stringify(EXPORT)),
    expected: EXPECTED,
    refused: ['entry 5 "broken"'],
  },
];
