import { describe, expect, it } from 'vitest';
import { detectImport, IMPORT_FORMAT_SPECS } from '../../../src/core/formats/format-registry.js';
import { importSource } from '../../../src/core/formats/import-source.js';
import { FORMAT_CASES } from './cases/index.js';
import { fileBytes } from './format-test-helpers.js';

// The CLI's end of every format case: the file is detected by its content alone, as `open2fa import`
// reads it (registry, no --format), and gives every expected entry with every parameter. The page
// runs the same cases in Chromium (test/web/web-import-formats.test.ts).

describe('every import format, through the registry', () => {
  it('has a case of every format of the registry', () => {
    expect(new Set(FORMAT_CASES.map((one) => one.format))).toEqual(
      new Set(IMPORT_FORMAT_SPECS.map((spec) => spec.name)),
    );
  });

  for (const one of FORMAT_CASES) {
    it(`${one.format}: ${one.variant}`, async () => {
      const source = importSource(fileBytes(await one.file()), one.fileName);
      if (one.password !== undefined) {
        expect(await detectImport(source)).toEqual({ kind: 'password-needed', format: one.format });
        expect(await detectImport(source, { password: `${one.password} (not)` })).toEqual({
          kind: 'wrong-password',
          format: one.format,
        });
      }
      const outcome = await detectImport(source, one.password === undefined ? {} : { password: one.password });
      if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
      expect(outcome.format).toBe(one.format);
      expect(outcome.items.flatMap((item) => (item.ok ? [item.entry] : []))).toEqual(one.expected);
      expect(outcome.items.flatMap((item) => (item.ok ? [] : [item.label]))).toEqual(one.refused ?? []);
    });
  }
});
