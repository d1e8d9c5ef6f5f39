import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalSecret, sameCodes } from '../../../src/core/entry/compare.js';
import type { Entry } from '../../../src/core/entry/model.js';
import { open2faFormat } from '../../../src/core/formats/open2fa-format.js';
import { textSource } from '../../../src/core/formats/import-source.js';
import { FORMAT_CASES } from '../../core/formats/cases/index.js';
import { freshDir, runOpen2fa } from '../cli-harness.js';

// `open2fa import` of every file of FORMAT_CASES (the files the format tests build and the page's
// Chromium test imports, test/web/web-import-formats.test.ts), its password from OPEN2FA_PASSPHRASE:
// what the vault then holds, exported as open2fa's JSON (every field), must be the case's entries.

/** The entries an import stores: the file's, less those with the same codes as an earlier one. */
function storedOf(entries: readonly Entry[]): Entry[] {
  const kept: Entry[] = [];
  for (const entry of entries) if (!kept.some((known) => sameCodes(known, entry))) kept.push(entry);
  return kept;
}

/** In a stable order, secrets in the canonical form the CLI stores them in (the page keeps them as typed). */
const sorted = (entries: readonly Entry[]): Entry[] =>
  entries
    .map((entry) => ({ ...entry, secret: canonicalSecret(entry.secret) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('open2fa import of every format', () => {
  for (const one of FORMAT_CASES) {
    it(`${one.format}: ${one.variant}`, async () => {
      const dir = await freshDir();
      const env: Record<string, string> = { OPEN2FA_DIR: dir };
      if (one.password !== undefined) env.OPEN2FA_PASSPHRASE = one.password;
      const options = { env, cwd: dir };
      await writeFile(join(dir, one.fileName), await one.file());
      const argv = ['import', one.fileName, ...(one.refused === undefined ? [] : ['--skip-invalid'])];
      const run = await runOpen2fa(argv, options);
      // stderr may carry a format's warning about the file (Microsoft's approval-only accounts).
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/error/);
      expect(run.stdout.split('\n')[0]).toMatch(
        new RegExp(`: ${String(one.expected.length + (one.refused?.length ?? 0))} entr`),
      );

      const exported = await runOpen2fa(['export', '--format', 'json'], options);
      expect(exported.exitCode).toBe(0);
      const outcome = await open2faFormat.parse(textSource(exported.stdout), {});
      if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
      const held = outcome.items.map((item) => (item.ok ? item.entry : null)).filter((entry) => entry !== null);
      expect(sorted(held)).toEqual(sorted(storedOf(one.expected)));
    });
  }
});
