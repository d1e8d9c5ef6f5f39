import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_D, base32Bytes } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

export function account(name: string, secret: string): Record<string, unknown> {
  return {
    shared_secret: Buffer.from(base32Bytes(secret)).toString('base64'),
    serial_number: '1234567890123456789',
    revocation_code: 'R12345',
    uri: `otpauth://totp/Steam:${name}?secret=${secret}&issuer=Steam`,
    server_time: 1700000000,
    account_name: name,
    token_gid: 'abc',
    identity_secret: Buffer.from('identity').toString('base64'),
    secret_1: Buffer.from('secret').toString('base64'),
    status: 1,
    device_id: 'android:00000000-0000-0000-0000-000000000000',
    fully_enrolled: true,
    Session: { SteamID: '76561197960287930' },
  };
}

/** The new Steam app's file: every account under its SteamID; the third one's secret is damaged. */
export const STEAM_APP_FILE = {
  accounts: {
    '76561197960287930': account('first', SECRET_A),
    '76561197960287931': account('second', SECRET_B),
    '76561197960287932': { ...account('third', SECRET_A), shared_secret: '***' },
  },
};

export const EXPECTED = [
  makeEntry(SECRET_A, 'Steam:first', { issuer: 'Steam', account: 'first', type: 'steam' }),
  makeEntry(SECRET_B, 'Steam:second', { issuer: 'Steam', account: 'second', type: 'steam' }),
];

export const steamCases: readonly FormatCase[] = [
  {
    format: 'steam',
    variant: 'Steam app file, several accounts',
    fileName: 'Steamguard-76561197960287930',
    file: () => Promise.resolve(JSON.stringify(STEAM_APP_FILE)),
    expected: EXPECTED,
    refused: ['account 3 "third"'],
  },
  {
    format: 'steam',
    variant: 'maFile (Steam Desktop Authenticator)',
    fileName: 'gamer.maFile',
    file: () => Promise.resolve(JSON.stringify(account('gamer', SECRET_D))),
    expected: [makeEntry(SECRET_D, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' })],
  },
];
