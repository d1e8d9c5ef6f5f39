import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { protonAuthenticatorFormat } from '../../../src/core/formats/proton-authenticator-format.js';
import { SECRET_A, SECRET_B, SECRET_C } from './format-fixtures.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';

// Proton Authenticator's export: `{ version, entries: [{ id, content { id, uri, entry_type, name }, note }] }`.

function entry(name: string, uri: string, type = 'Totp', note: string | null = null): Record<string, unknown> {
  return { id: `id-${name}`, content: { id: `c-${name}`, uri, entry_type: type, name }, note };
}

describe('Proton Authenticator JSON export', () => {
  it('reads every parameter and note, and names a bad entry', async () => {
    const file = {
      version: 1,
      entries: [
        entry('alice', `otpauth://totp/GitHub:alice?secret=${SECRET_A}&issuer=GitHub`, 'Totp', 'work laptop'),
        entry('bob', `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA512&digits=8&period=60`),
        entry('Home VPN', `otpauth://totp/?secret=${SECRET_C}&digits=7`),
        entry('gamer', `steam://${SECRET_A}`, 'Steam'),
        entry('broken', 'otpauth://totp/x?secret=0'),
      ],
    };
    const items = itemsOf(await importFile(protonAuthenticatorFormat, JSON.stringify(file)), 'proton-authenticator');
    expect(okEntries(items.slice(0, 4))).toEqual([
      makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice', note: 'work laptop' }),
      makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA512', digits: 8, period: 60 }),
      makeEntry(SECRET_C, 'Home VPN', { digits: 7 }),
      makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
    ]);
    expect(problems(items)).toEqual([['entry 5 "broken"', 'the secret is not base32']]);
  });
});
