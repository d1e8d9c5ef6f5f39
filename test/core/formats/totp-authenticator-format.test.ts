import { describe, expect, it } from 'vitest';
import { base64 } from '@scure/base';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { totpAuthenticatorFormat } from '../../../src/core/formats/totp-authenticator-format.js';
import { sharedPrefsXml, sourceOf } from './android-fixtures.js';
import { LIST, EXPECTED, backup } from './cases/totp-authenticator-case.js';

// TOTP Authenticator as Aegis's TotpAuthenticatorImporter documents it: the backup is base64 of
// AES-256-CBC (zero IV) under SHA-256(password) over `{ "<JSON list>": … }`; the preferences XML
// holds the list under STATIC_TOTP_CODES_LIST; keys are in base 16, 32 or 64.

function results(outcome: ImportOutcome): unknown[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('totp-authenticator');
  return outcome.items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
}

describe('TOTP Authenticator encrypted backup', () => {
  it('opens a backup made with a password and reads every entry and key base', async () => {
    const source = sourceOf(await backup(LIST, 'my backup password'), 'TOTP_Authenticator_backup.encrypt');
    expect(totpAuthenticatorFormat.detect(source)).toBe(true);
    expect(await totpAuthenticatorFormat.parse(source, {})).toEqual({
      kind: 'password-needed',
      format: 'totp-authenticator',
    });
    expect(results(await totpAuthenticatorFormat.parse(source, { password: 'my backup password' }))).toEqual(EXPECTED);
  });

  it("opens a backup made without a password with the app's default, whatever password is given", async () => {
    const source = sourceOf(await backup(LIST, 'TotpAuthenticator'));
    expect(results(await totpAuthenticatorFormat.parse(source, {}))).toEqual(EXPECTED);
    expect(results(await totpAuthenticatorFormat.parse(source, { password: 'something else' }))).toEqual(EXPECTED);
  });

  it('refuses a wrong password as wrong-password', async () => {
    const source = sourceOf(await backup(LIST, 'right'));
    expect(await totpAuthenticatorFormat.parse(source, { password: 'wrong' })).toEqual({
      kind: 'wrong-password',
      format: 'totp-authenticator',
    });
  });

  it('names bad entries by position and name', async () => {
    const list = [
      { ...LIST[0], base: 10 },
      { ...LIST[1], key: 'xyz' },
      'junk',
      { base: 32, key: 'JBSWY3DP', name: 'x', issuer: 7 },
    ];
    const source = sourceOf(await backup(list, 'TotpAuthenticator'));
    expect(results(await totpAuthenticatorFormat.parse(source, {}))).toEqual([
      'entry 1 "GitHub:alice": the key is not base 10 text',
      'entry 2 "Bank:bob": the key is not base 16 text',
      'entry 3: not a TOTP Authenticator entry',
      'entry 4 "x": the issuer is not text',
    ]);
  });

  it('does not take other base64 or text for a backup', () => {
    expect(totpAuthenticatorFormat.detect(sourceOf(base64.encode(new Uint8Array(33))))).toBe(false);
    expect(totpAuthenticatorFormat.detect(sourceOf('otpauth://totp/x?secret=JBSWY3DP'))).toBe(false);
  });
});

describe('TOTP Authenticator preferences XML', () => {
  it('reads the list under STATIC_TOTP_CODES_LIST', async () => {
    const source = sourceOf(
      sharedPrefsXml([['STATIC_TOTP_CODES_LIST', JSON.stringify(LIST)]]),
      'TOTP_Authenticator_Preferences.xml',
    );
    expect(totpAuthenticatorFormat.detect(source)).toBe(true);
    expect(results(await totpAuthenticatorFormat.parse(source, {}))).toEqual(EXPECTED);
  });

  it('calls a damaged list unsupported', async () => {
    const source = sourceOf(sharedPrefsXml([['STATIC_TOTP_CODES_LIST', '[{']]));
    expect((await totpAuthenticatorFormat.parse(source, {})).kind).toBe('unsupported');
  });
});
