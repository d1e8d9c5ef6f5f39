import { describe, expect, it } from 'vitest';
import { protonAuthenticatorFormat } from '../../../src/core/formats/proton-authenticator-format.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';
import { EXPECTED, EXPORT } from './cases/proton-authenticator-case.js';

// Proton Authenticator's export: `{ version, entries: [{ id, content { id, uri, entry_type, name }, note }] }`.

describe('Proton Authenticator JSON export', () => {
  it('reads every parameter and note, and names a bad entry', async () => {
    const items = itemsOf(await importFile(protonAuthenticatorFormat, JSON.stringify(EXPORT)), 'proton-authenticator');
    expect(okEntries(items.slice(0, 4))).toEqual(EXPECTED);
    expect(problems(items)).toEqual([['entry 5 "broken"', 'the secret is not base32']]);
  });
});
