import { describe, expect, it } from 'vitest';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { freeotpPlusFormat } from '../../../src/core/formats/freeotp-plus-format.js';
import { sharedPrefsXml, sourceOf } from './android-fixtures.js';
import { JSON_EXPORT, TOKENS, EXPECTED } from './cases/freeotp-plus-case.js';

// FreeOTP+'s JSON export (Settings → Export → JSON): the FreeOTP token fields, the secret as signed bytes.

function results(outcome: ImportOutcome): unknown[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('freeotp-plus');
  return outcome.items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
}

describe('FreeOTP+ JSON export', () => {
  it('reads every token and parameter', async () => {
    const source = sourceOf(JSON_EXPORT, 'freeotp-backup.json');
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
