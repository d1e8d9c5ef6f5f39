import { describe, expect, it } from 'vitest';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { googleAuthenticatorDbFormat } from '../../../src/core/formats/google-authenticator-db-format.js';
import { sourceOf } from './android-fixtures.js';
import { SECRET_D } from './format-fixtures.js';
import { sqliteFile } from './sqlite-fixtures.js';
import { ROWS, EXPECTED, database } from './cases/google-authenticator-db-case.js';

// Google Authenticator's `databases` file as Aegis's GoogleAuthImporter documents it: table
// accounts (email, secret, counter, type 0 TOTP / 1 HOTP, provider, issuer, original_name), and
// the isencrypted column of newer versions.

function results(outcome: ImportOutcome): unknown[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('google-authenticator-db');
  return outcome.items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
}

describe("Google Authenticator's internal database", () => {
  it('reads every account: TOTP and HOTP with its counter, the issuer from its column or the email', async () => {
    const source = sourceOf(await database(ROWS), 'databases');
    expect(source.text).toBeNull();
    expect(googleAuthenticatorDbFormat.detect(source)).toBe(true);
    expect(results(await googleAuthenticatorDbFormat.parse(source, {}))).toEqual(EXPECTED);
  });

  it('names bad and keystore-encrypted accounts by position and name', async () => {
    const rows = [
      ['dave', 'not base32 1', 0, 0, 'Shop', null, 0],
      ['erin', SECRET_D, 0, 7, 'Odd', null, 0],
      ['frank', SECRET_D, 0, 0, 'Sealed', null, 1],
    ];
    expect(results(await googleAuthenticatorDbFormat.parse(sourceOf(await database(rows)), {}))).toEqual([
      'entry 1 "Shop:dave": the secret is not base32',
      expect.stringMatching(/^entry 2 "Odd:erin": unsupported type "type 7"/),
      expect.stringMatching(/^entry 3 "Sealed:frank": Google Authenticator encrypted this secret .* transfer QR code/),
    ]);
  });

  it('calls a damaged database or one without accounts unsupported, and detects neither other databases nor text', async () => {
    const whole = await database(ROWS);
    const damaged = whole.slice();
    damaged.fill(0xff, 100, whole.length);
    for (const bytes of [damaged, whole.slice(0, 150)]) {
      expect(await googleAuthenticatorDbFormat.parse(sourceOf(bytes), {})).toEqual({
        kind: 'unsupported',
        format: 'google-authenticator-db',
        message: expect.stringMatching(/not a readable Google Authenticator database/) as string,
      });
    }
    const other = await sqliteFile(['CREATE TABLE notes (id INTEGER, body TEXT)']);
    expect(googleAuthenticatorDbFormat.detect(sourceOf(other))).toBe(false);
    expect((await googleAuthenticatorDbFormat.parse(sourceOf(other), {})).kind).toBe('unsupported');
    expect(googleAuthenticatorDbFormat.detect(sourceOf('CREATE TABLE accounts (email, secret, original_name)'))).toBe(
      false,
    );
  });
});
