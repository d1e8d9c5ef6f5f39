import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { protonPassFormat } from '../../../src/core/formats/proton-pass-format.js';
import { importFile, itemsOf, like, okEntries, problems } from './format-test-helpers.js';
import { DATA, EXPECTED } from './cases/proton-pass-case.js';

// Proton Pass's export: a ZIP holding "Proton Pass/data.json" `{ version, userId, encrypted,
// vaults: { id: { name, items: [{ itemId, data { type, metadata { name, note }, content {
// itemUsername, itemEmail, password, urls, totpUri } }, pinned }] } } }`.

describe('Proton Pass export', () => {
  it('reads the TOTP logins of the ZIP with vault, note and pin, and names a bad one', async () => {
    const zip = zipSync({ 'Proton Pass/data.json': new TextEncoder().encode(JSON.stringify(DATA)) });
    const items = itemsOf(
      await importFile(protonPassFormat, zip, { fileName: 'Proton Pass_export.zip' }),
      'proton-pass',
    );
    expect(okEntries(items.slice(0, 2))).toEqual(EXPECTED);
    expect(problems(items)).toEqual([['Work item 2 "Broken"', 'the secret is not base32']]);
  });

  it('reads data.json by itself', async () => {
    const items = itemsOf(await importFile(protonPassFormat, JSON.stringify(DATA)), 'proton-pass');
    expect(okEntries(items.slice(0, 2))).toEqual(EXPECTED);
  });

  it('refuses a damaged ZIP and an encrypted export with what to do', async () => {
    const zip = zipSync({ 'Proton Pass/data.json': new TextEncoder().encode(JSON.stringify(DATA)) });
    expect(await importFile(protonPassFormat, zip.subarray(0, zip.length - 30))).toMatchObject({
      kind: 'unsupported',
      message: like(/damaged/),
    });
    expect(await importFile(protonPassFormat, JSON.stringify({ ...DATA, encrypted: true }))).toMatchObject({
      kind: 'unsupported',
      message: like(/export again without encryption/),
    });
  });
});
