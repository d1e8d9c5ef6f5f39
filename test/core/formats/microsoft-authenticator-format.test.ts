import { describe, expect, it } from 'vitest';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { microsoftAuthenticatorFormat } from '../../../src/core/formats/microsoft-authenticator-format.js';
import { sourceOf } from './android-fixtures.js';
import { SECRET_A } from './format-fixtures.js';
import { sqliteFile } from './sqlite-fixtures.js';
import { database, EXPECTED, ROWS } from './cases/microsoft-authenticator-case.js';

// Microsoft Authenticator's PhoneFactor database as Aegis's MicrosoftAuthImporter documents it:
// table accounts (name = issuer, username, oath_secret_key, account_type 0 TOTP / 1 Microsoft account).

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
    const source = sourceOf(await database(ROWS), 'PhoneFactor');
    expect(microsoftAuthenticatorFormat.detect(source)).toBe(true);
    expect(outcomeOf(await microsoftAuthenticatorFormat.parse(source, {}))).toEqual({
      results: EXPECTED,
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
