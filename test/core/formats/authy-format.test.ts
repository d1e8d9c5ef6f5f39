import { describe, expect, it } from 'vitest';
import { hex } from '@scure/base';
import { makeEntry } from '../../../src/core/entry/model.js';
import { authyFormat } from '../../../src/core/formats/authy-format.js';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { base32Of, sharedPrefsXml, sourceOf } from './android-fixtures.js';
import { SECRET_D } from './format-fixtures.js';
import { type AuthyToken, AUTHENTICATOR_KEY, PASSWORD, PLAIN, EXPECTED, encrypted } from './cases/authy-case.js';

// Authy's shared preferences as Aegis's AuthyImporter documents them: a JSON list under
// com.authy.storage.tokens.authenticator.key; encrypted secrets are AES-256-CBC (zero IV) under
// PBKDF2-HMAC-SHA1(password, salt, 1000 iterations).

function results(outcome: ImportOutcome): unknown[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('authy');
  return outcome.items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
}

describe('Authy shared preferences (plain)', () => {
  it('reads every token, its digits and its issuer from the fields Authy keeps', async () => {
    const source = sourceOf(
      sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(PLAIN)]]),
      'com.authy.storage.tokens.authenticator.xml',
    );
    expect(authyFormat.detect(source)).toBe(true);
    expect(results(await authyFormat.parse(source, {}))).toEqual(EXPECTED);
  });

  it("reads Authy's own tokens: a hex seed, 10-second codes", async () => {
    const seed = hex.encode(base32Of(SECRET_D));
    const xml = sharedPrefsXml([
      ['com.authy.storage.tokens.authy.key', JSON.stringify([{ secretSeed: seed, digits: 7, name: 'Twilio' }])],
    ]);
    expect(results(await authyFormat.parse(sourceOf(xml), {}))).toEqual([
      makeEntry(SECRET_D, 'Twilio', { issuer: 'Twilio', digits: 7, period: 10 }),
    ]);
  });

  it('names bad tokens by position and name', async () => {
    const tokens = [
      { ...PLAIN[0], decryptedSecret: 'not base32!' },
      { ...PLAIN[1], digits: 4 },
      { secretSeed: 'zz', digits: 7, name: 'Broken' },
      42,
    ];
    const xml = sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(tokens)]]);
    expect(results(await authyFormat.parse(sourceOf(xml), {}))).toEqual([
      'entry 1 "GitHub:alice": the secret is not base32',
      'entry 2 "Bank:bob": digits must be 6 to 8',
      'entry 3 "Broken": the secret does not decrypt or decode',
      'entry 4: not an Authy token',
    ]);
  });

  it('calls a file without a token list unsupported', async () => {
    const xml = sharedPrefsXml([[AUTHENTICATOR_KEY, '{damaged']]);
    expect((await authyFormat.parse(sourceOf(xml), {})).kind).toBe('unsupported');
    expect(authyFormat.detect(sourceOf(sharedPrefsXml([['tokenOrder', '[]']])))).toBe(false);
  });
});

describe('Authy shared preferences (encrypted secrets)', () => {
  it('decrypts every secret with the backup password', async () => {
    const tokens = await Promise.all(PLAIN.map((token, index) => encrypted(token, index)));
    const source = sourceOf(sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(tokens)]]));
    expect(await authyFormat.parse(source, {})).toEqual({ kind: 'password-needed', format: 'authy' });
    expect(results(await authyFormat.parse(source, { password: PASSWORD }))).toEqual(EXPECTED);
  });

  it('refuses a wrong password as wrong-password', async () => {
    const tokens = await Promise.all(PLAIN.map((token, index) => encrypted(token, index)));
    const source = sourceOf(sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(tokens)]]));
    expect(await authyFormat.parse(source, { password: 'nope' })).toEqual({ kind: 'wrong-password', format: 'authy' });
  });

  it('names one secret that does not decrypt once the password has opened another', async () => {
    const [first, second] = PLAIN as [AuthyToken, AuthyToken];
    const tokens = [await encrypted(first, 0), await encrypted(second, 1, 'another password')];
    const source = sourceOf(sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(tokens)]]));
    expect(results(await authyFormat.parse(source, { password: PASSWORD }))).toEqual([
      EXPECTED[0],
      'entry 2 "Bank:bob": the secret does not decrypt or decode',
    ]);
  });
});
