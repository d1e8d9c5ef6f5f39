import { base64 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { microsoftAuthenticatorFormat } from '../../../src/core/formats/microsoft-authenticator-format.js';
import { base32Of, sourceOf } from './android-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C } from './format-fixtures.js';
import { sqliteFile } from './sqlite-fixtures.js';

// Microsoft Authenticator's PhoneFactor database as Aegis's MicrosoftAuthImporter documents it:
// table accounts (name = issuer, username, oath_secret_key, account_type 0 TOTP / 1 Microsoft account).

const SCHEMA =
  'CREATE TABLE accounts (_id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, username TEXT, oath_secret_key TEXT, account_type INTEGER, cid TEXT, tenant_id TEXT, ordering INTEGER)';
const INSERT = 'INSERT INTO accounts (name, username, oath_secret_key, account_type, ordering) VALUES (?, ?, ?, ?, ?)';

function database(rows: readonly (readonly unknown[])[]): Promise<Uint8Array> {
  return sqliteFile([SCHEMA, ...rows.map(() => INSERT)], [[], ...rows]);
}

function outcomeOf(outcome: ImportOutcome): { results: unknown[]; warnings: readonly string[] } {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('microsoft-authenticator');
  return {
    results: outcome.items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`)),
    warnings: outcome.warnings,
  };
}

describe("Microsoft Authenticator's internal database", () => {
  it('reads TOTP accounts (base32, 6 digits) and Microsoft accounts (base64, 8 digits); names the skipped approval accounts', async () => {
    const rows = [
      ['GitHub', 'alice', SECRET_A, 0, 1],
      ['Microsoft', 'bob@outlook.com', base64.encode(base32Of(SECRET_B)), 1, 2],
      ['Contoso', 'carol@contoso.com', null, 2, 3],
      ['Dropbox', 'carol', SECRET_C.toLowerCase(), 0, 4],
    ];
    const source = sourceOf(await database(rows), 'PhoneFactor');
    expect(microsoftAuthenticatorFormat.detect(source)).toBe(true);
    expect(outcomeOf(await microsoftAuthenticatorFormat.parse(source, {}))).toEqual({
      results: [
        makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
        makeEntry(SECRET_B, 'Microsoft:bob@outlook.com', {
          issuer: 'Microsoft',
          account: 'bob@outlook.com',
          digits: 8,
        }),
        makeEntry(SECRET_C, 'Dropbox:carol', { issuer: 'Dropbox', account: 'carol' }),
      ],
      warnings: ['1 sign-in approval account(s) without a code secret skipped: Contoso:carol@contoso.com'],
    });
  });

  it('names bad accounts by position and name', async () => {
    const rows = [
      ['Shop', 'dave', 'not base32 1', 0, 1],
      ['Microsoft', 'erin@outlook.com', '***', 1, 2],
      ['Blank', 'frank', null, 0, 3],
    ];
    expect(outcomeOf(await microsoftAuthenticatorFormat.parse(sourceOf(await database(rows)), {})).results).toEqual([
      'entry 1 "Shop:dave": the secret is not base32',
      'entry 2 "Microsoft:erin@outlook.com": the secret is not base64',
      'entry 3 "Blank:frank": no secret',
    ]);
  });

  it('calls a damaged database unsupported and does not take Google Authenticator’s for its own', async () => {
    const damaged = (await database([['A', 'b', SECRET_A, 0, 1]])).slice(0, 120);
    expect((await microsoftAuthenticatorFormat.parse(sourceOf(damaged), {})).kind).toBe('unsupported');
    const google = await sqliteFile([
      'CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT, secret TEXT, original_name TEXT)',
    ]);
    expect(microsoftAuthenticatorFormat.detect(sourceOf(google))).toBe(false);
  });
});
