import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { steamFormat } from '../../../src/core/formats/steam-format.js';
import { base32Bytes, SECRET_A, SECRET_B } from './format-fixtures.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';

// Steam Guard files: a Steam Desktop Authenticator .maFile or the old Steam app file is one account
// `{ shared_secret (base64), account_name, serial_number, revocation_code, uri, … }`; the new Steam
// app file keeps `{ accounts: { SteamID: account } }`.

function account(name: string, secret: string): Record<string, unknown> {
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

describe('Steam Guard files', () => {
  it('reads an old single-account file (maFile)', async () => {
    expect(
      okEntries(itemsOf(await importFile(steamFormat, JSON.stringify(account('gamer', SECRET_A))), 'steam')),
    ).toEqual([makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' })]);
  });

  it('reads every account of the new Steam app file, and names a bad one', async () => {
    const file = {
      accounts: {
        '76561197960287930': account('first', SECRET_A),
        '76561197960287931': account('second', SECRET_B),
        '76561197960287932': { ...account('third', SECRET_A), shared_secret: '***' },
      },
    };
    const items = itemsOf(await importFile(steamFormat, JSON.stringify(file)), 'steam');
    expect(okEntries(items.slice(0, 2))).toEqual([
      makeEntry(SECRET_A, 'Steam:first', { issuer: 'Steam', account: 'first', type: 'steam' }),
      makeEntry(SECRET_B, 'Steam:second', { issuer: 'Steam', account: 'second', type: 'steam' }),
    ]);
    expect(problems(items)).toEqual([['account 3 "third"', 'the shared_secret is not base64']]);
  });
});
