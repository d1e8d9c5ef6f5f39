import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { freeotpPlusFormat } from '../../../src/core/formats/freeotp-plus-format.js';
import { base32Of, sharedPrefsXml, signedBytes, sourceOf } from './android-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C, SECRET_D } from './format-fixtures.js';

// FreeOTP+'s JSON export (Settings → Export → JSON): the FreeOTP token fields, the secret as signed bytes.

const token = (fields: Record<string, unknown>, secret: string): Record<string, unknown> => ({
  ...fields,
  secret: signedBytes(base32Of(secret)),
});

const TOKENS = [
  token(
    { algo: 'SHA1', counter: 0, digits: 6, issuerExt: 'GitHub', label: 'alice', period: 30, type: 'TOTP' },
    SECRET_A,
  ),
  token({ algo: 'SHA256', counter: 0, digits: 8, issuerExt: 'Bank', label: 'bob', period: 60, type: 'TOTP' }, SECRET_B),
  token(
    { algo: 'SHA512', counter: 42, digits: 6, issuerExt: 'Counter', label: 'carol', period: 30, type: 'HOTP' },
    SECRET_C,
  ),
  token(
    { algo: 'SHA1', counter: 0, digits: 5, issuerExt: 'Steam', label: 'gamer', period: 30, type: 'TOTP' },
    SECRET_D,
  ),
];

const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter:carol', {
    type: 'hotp',
    issuer: 'Counter',
    account: 'carol',
    algorithm: 'SHA512',
    counter: 42,
  }),
  makeEntry(SECRET_D, 'Steam:gamer', { type: 'steam', issuer: 'Steam', account: 'gamer' }),
];

function results(outcome: ImportOutcome): unknown[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('freeotp-plus');
  return outcome.items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
}

describe('FreeOTP+ JSON export', () => {
  it('reads every token and parameter', async () => {
    const json = JSON.stringify({
      tokenOrder: ['GitHub:alice', 'Bank:bob', 'Counter:carol', 'Steam:gamer'],
      tokens: TOKENS,
    });
    const source = sourceOf(json, 'freeotp-backup.json');
    expect(freeotpPlusFormat.detect(source)).toBe(true);
    expect(results(await freeotpPlusFormat.parse(source, {}))).toEqual(EXPECTED);
  });

  it('names bad tokens by position and name', async () => {
    const json = JSON.stringify({
      tokenOrder: [],
      tokens: [
        { ...TOKENS[0], secret: 'JBSWY3DP' },
        { ...TOKENS[1], digits: 12 },
        { ...TOKENS[2], counter: -1 },
        'not a token',
      ],
    });
    expect(results(await freeotpPlusFormat.parse(sourceOf(json), {}))).toEqual([
      'entry 1 "GitHub:alice": the secret is not a list of bytes',
      'entry 2 "Bank:bob": digits must be 6 to 8',
      expect.stringMatching(/^entry 3 "Counter:carol": the counter/),
      'entry 4: not a FreeOTP token',
    ]);
  });

  it('detects only its own JSON', () => {
    expect(freeotpPlusFormat.detect(sourceOf('{"tokens": []}'))).toBe(false);
    expect(freeotpPlusFormat.detect(sourceOf('{"tokens": [], "tokenOrder": [] '))).toBe(false);
    expect(freeotpPlusFormat.detect(sourceOf('{"db": {"entries": []}}'))).toBe(false);
  });
});

describe('FreeOTP+ tokens.xml (the app-internal file)', () => {
  it('reads the same tokens from the shared-preferences file when forced', async () => {
    const xml = sharedPrefsXml([
      ['tokenOrder', JSON.stringify(['GitHub:alice', 'Bank:bob', 'Counter:carol', 'Steam:gamer'])],
      ...TOKENS.map((one) => [`${String(one.issuerExt)}:${String(one.label)}`, JSON.stringify(one)] as const),
    ]);
    const source = sourceOf(xml, 'tokens.xml');
    expect(freeotpPlusFormat.detect(source)).toBe(false);
    expect(results(await freeotpPlusFormat.parse(source, {}))).toEqual(EXPECTED);
  });

  it('calls a damaged file unsupported', async () => {
    const outcome = await freeotpPlusFormat.parse(sourceOf('<map><string name="a">x</map'), {});
    expect(outcome.kind).toBe('unsupported');
  });
});
