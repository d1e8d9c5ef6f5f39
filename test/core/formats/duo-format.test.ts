import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { duoFormat } from '../../../src/core/formats/duo-format.js';
import { SECRET_A, SECRET_B } from './format-fixtures.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';

// Duo Mobile's duokit/accounts.json: `[{ name, otpGenerator { otpSecret, counter? }, … }]`.

describe('Duo Mobile accounts', () => {
  it('reads TOTP and HOTP accounts and names a bad one', async () => {
    const file = [
      { name: 'GitHub', accountType: 'OtpAccount', otpGenerator: { otpSecret: SECRET_A } },
      { name: 'VPN', accountType: 'OtpAccount', otpGenerator: { otpSecret: SECRET_B, counter: 17 } },
      { name: 'Broken', otpGenerator: { otpSecret: '!!' } },
    ];
    const items = itemsOf(await importFile(duoFormat, JSON.stringify(file)), 'duo');
    expect(okEntries(items.slice(0, 2))).toEqual([
      makeEntry(SECRET_A, 'GitHub'),
      makeEntry(SECRET_B, 'VPN', { type: 'hotp', counter: 17 }),
    ]);
    expect(problems(items)).toEqual([['account 3 "Broken"', 'the secret is not base32']]);
  });
});
