import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { steamFormat } from '../../../src/core/formats/steam-format.js';
import { SECRET_A } from './format-fixtures.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';
import { account, EXPECTED, STEAM_APP_FILE } from './cases/steam-case.js';

// Steam Guard files: a Steam Desktop Authenticator .maFile or the old Steam app file is one account
// `{ shared_secret (base64), account_name, serial_number, revocation_code, uri, … }`; the new Steam
// app file keeps `{ accounts: { SteamID: account } }`.

describe('Steam Guard files', () => {
  it('reads an old single-account file (maFile)', async () => {
    expect(
      okEntries(itemsOf(await importFile(steamFormat, JSON.stringify(account('gamer', SECRET_A))), 'steam')),
    ).toEqual([makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' })]);
  });

  it('reads every account of the new Steam app file, and names a bad one', async () => {
    const items = itemsOf(await importFile(steamFormat, JSON.stringify(STEAM_APP_FILE)), 'steam');
    expect(okEntries(items.slice(0, 2))).toEqual(EXPECTED);
    expect(problems(items)).toEqual([['account 3 "third"', 'the shared_secret is not base64']]);
  });
});
