import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { stratumDbFormat } from '../../../src/core/formats/stratum-db-format.js';
import { counting, sourceOf } from './android-fixtures.js';
import { SECRET_A } from './format-fixtures.js';
import { sqliteFile } from './sqlite-fixtures.js';
import {
  SCHEMA,
  INSERT,
  database,
  ROWS,
  CATEGORIES,
  DB_PASSWORD,
  encryptedDatabase,
  EXPECTED,
} from './cases/stratum-db-case.js';

// Stratum's authenticator.db3 as Aegis's StratumImporter documents the authenticator table, with the
// category tables of the app's own sources (tables as sqlite-net creates them: quoted, lower case).

function results(outcome: ImportOutcome): unknown[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('stratum-db');
  return outcome.items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
}

describe("Stratum / Authenticator Pro's internal database", () => {
  it('reads every type, algorithm, digits, period, counter and category', async () => {
    const source = sourceOf(await database(ROWS, CATEGORIES), 'authenticator.db3');
    expect(stratumDbFormat.detect(source)).toBe(true);
    expect(results(await stratumDbFormat.parse(source, {}))).toEqual(EXPECTED);
  });

  it('reads a database without the category tables (older Authenticator Pro)', async () => {
    const bytes = await sqliteFile([SCHEMA[0] ?? '', INSERT], [[], ROWS[0] ?? []]);
    expect(results(await stratumDbFormat.parse(sourceOf(bytes, 'proauth.db3'), {}))).toEqual([
      makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
    ]);
  });

  it('names entries of other kinds and bad entries by position and name', async () => {
    const rows = [
      [3, 'mOTP', 'dave', 'ABCDEFGH', 0, 6, 10, 0, 0],
      [5, 'Yandex', 'erin', 'IJKLMNOP', 0, 8, 30, 0, 1],
      [2, 'Odd', 'frank', 'QRSTUVWX', 7, 6, 30, 0, 2],
      [2, 'Long', 'grace', 'YZ234567', 0, 10, 30, 0, 3],
    ];
    expect(results(await stratumDbFormat.parse(sourceOf(await database(rows)), {}))).toEqual([
      expect.stringMatching(/^entry 1 "mOTP:dave": unsupported type "motp"/),
      expect.stringMatching(/^entry 2 "Yandex:erin": unsupported type "yandex"/),
      expect.stringMatching(/^entry 3 "Odd:frank": unknown algorithm "algorithm 7"/),
      'entry 4 "Long:grace": digits must be 6 to 8',
    ]);
  });

  it('opens the SQLCipher 4 database of an app with a password set, and tells a wrong password', async () => {
    const encrypted = sourceOf(await encryptedDatabase(), 'authenticator.db3');
    expect(stratumDbFormat.detect(encrypted)).toBe(true);
    expect(await stratumDbFormat.parse(encrypted, {})).toEqual({ kind: 'password-needed', format: 'stratum-db' });
    expect(results(await stratumDbFormat.parse(encrypted, { password: DB_PASSWORD }))).toEqual(EXPECTED);
    expect(await stratumDbFormat.parse(encrypted, { password: 'stratum app password' })).toEqual({
      kind: 'wrong-password',
      format: 'stratum-db',
    });
    expect(stratumDbFormat.detect(sourceOf(counting(8192, 3), 'other.db3'))).toBe(false);
  });

  it('calls a damaged database unsupported', async () => {
    const damaged = (await database(ROWS)).slice(0, 200);
    expect((await stratumDbFormat.parse(sourceOf(damaged), {})).kind).toBe('unsupported');
  });
});
