import { describe, expect, it } from 'vitest';
import { duoFormat } from '../../../src/core/formats/duo-format.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';
import { ACCOUNTS, EXPECTED } from './cases/duo-case.js';

describe('Duo Mobile accounts', () => {
  it('reads TOTP and HOTP accounts and names a bad one', async () => {
    const items = itemsOf(await importFile(duoFormat, JSON.stringify(ACCOUNTS)), 'duo');
    expect(okEntries(items.slice(0, 2))).toEqual(EXPECTED);
    expect(problems(items)).toEqual([['account 3 "Broken"', 'the secret is not base32']]);
  });
});
