import { describe, expect, it } from 'vitest';
import { hex } from '@scure/base';
import { makeEntry } from '../../../src/core/entry/model.js';
import { battleNetFormat } from '../../../src/core/formats/battle-net-format.js';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { base32Of, sharedPrefsXml, sourceOf } from './android-fixtures.js';
import { SECRET_B } from './format-fixtures.js';
import { PREFERENCES_XML, EXPECTED, SERIAL_KEY, SECRET_KEY, mask } from './cases/battle-net-case.js';

// The Battle.net app's authenticator preferences as Aegis's BattleNetImporter documents them: the
// serial and the device secret (hex of the key) as hex of the text XOR-ed with a fixed mask.

function results(outcome: ImportOutcome): unknown[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('battle-net');
  return outcome.items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
}

describe('Battle.net authenticator preferences', () => {
  const secretHex = hex.encode(base32Of(SECRET_B));

  it('unmasks the serial and the secret: TOTP, SHA1, 8 digits, 30 seconds', async () => {
    const source = sourceOf(PREFERENCES_XML, 'com.blizzard.messenger.authenticator_preferences.xml');
    expect(battleNetFormat.detect(source)).toBe(true);
    expect(results(await battleNetFormat.parse(source, {}))).toEqual(EXPECTED);
  });

  it('reads a secret without a serial', async () => {
    const xml = sharedPrefsXml([[SECRET_KEY, mask(secretHex.toUpperCase())]]);
    expect(results(await battleNetFormat.parse(sourceOf(xml), {}))).toEqual([
      makeEntry(SECRET_B, 'Battle.net', { issuer: 'Battle.net', digits: 8 }),
    ]);
  });

  it('names a damaged secret instead of throwing, and refuses a file without one', async () => {
    const damaged = sharedPrefsXml([[SECRET_KEY, 'zz' + mask(secretHex)]]);
    expect(results(await battleNetFormat.parse(sourceOf(damaged), {}))).toEqual([
      'entry 1 "Battle.net": the masked serial or secret is damaged',
    ]);
    const tooLong = sharedPrefsXml([[SECRET_KEY, mask(secretHex) + 'ab'.repeat(40)]]);
    expect(results(await battleNetFormat.parse(sourceOf(tooLong), {}))).toEqual([
      'entry 1 "Battle.net": the masked serial or secret is damaged',
    ]);
    const none = sharedPrefsXml([[SERIAL_KEY, mask('EU-1')]]);
    expect(battleNetFormat.detect(sourceOf(none))).toBe(false);
    expect((await battleNetFormat.parse(sourceOf(none), {})).kind).toBe('unsupported');
  });
});
