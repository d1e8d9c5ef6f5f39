import { makeEntry } from '../../../../src/core/entry/model.js';
import { encryptedTwoFas } from '../encrypted-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

export const GROUPS = [{ id: 'g-1', name: 'Work', isExpanded: true }];

export function service(
  name: string,
  secret: string,
  otp: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    name,
    secret,
    updatedAt: 1700000000000,
    otp: { source: 'Manual', ...otp },
    order: { position: 0 },
    ...extra,
  };
}

export const SERVICES = [
  service(
    'GitHub',
    SECRET_A,
    { account: 'alice', issuer: 'GitHub', digits: 6, period: 30, algorithm: 'SHA1', tokenType: 'TOTP' },
    { groupId: 'g-1' },
  ),
  service('Bank', SECRET_B, { account: 'bob', digits: 8, period: 60, algorithm: 'SHA512', tokenType: 'TOTP' }),
  service('Counter', SECRET_C, { account: 'c', digits: 7, counter: 9, algorithm: 'SHA256', tokenType: 'HOTP' }),
  service('Steam', SECRET_A, { account: 'gamer', digits: 5, period: 30, algorithm: 'SHA1', tokenType: 'STEAM' }),
];

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice', groups: ['Work'] }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA512', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter:c', {
    issuer: 'Counter',
    account: 'c',
    type: 'hotp',
    algorithm: 'SHA256',
    digits: 7,
    counter: 9,
  }),
  makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
];

export function backup(schemaVersion: number, fields: Record<string, unknown>): string {
  return JSON.stringify({ ...fields, groups: GROUPS, updatedAt: 1700000000000, schemaVersion, appOrigin: 'android' });
}

export function encrypted(services: unknown, password: string, schemaVersion = 4): string {
  return encryptedTwoFas(services, password, { groups: GROUPS, schemaVersion });
}

const PASSWORD = '2fas backup password';

export const twoFasCases: readonly FormatCase[] = [
  {
    format: '2fas',
    variant: 'plain (schema 4)',
    fileName: '2fas-backup.2fas',
    file: () => Promise.resolve(backup(4, { services: SERVICES })),
    expected: EXPECTED,
  },
  {
    format: '2fas',
    variant: 'encrypted (PBKDF2, AES-GCM)',
    fileName: '2fas-backup-encrypted.2fas',
    password: PASSWORD,
    file: () => Promise.resolve(encrypted(SERVICES, PASSWORD)),
    expected: EXPECTED,
  },
];
