import { describe, expect, it } from 'vitest';
import { winAuthFormat } from '../../../src/core/formats/winauth-format.js';
import { SECRET_A } from './format-fixtures.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';
import { EXPECTED, TEXT } from './cases/winauth-case.js';

describe('WinAuth text export', () => {
  it('is recognised by its file name and keeps the label as the issuer', async () => {
    const items = itemsOf(await importFile(winAuthFormat, TEXT, { fileName: 'winauth-2024-01-01.txt' }), 'winauth');
    expect(okEntries(items.slice(0, 3))).toEqual(EXPECTED);
    expect(problems(items)).toEqual([['line 4', 'the secret is not base32']]);
  });

  it('is read as otpauth lines under any other name', async () => {
    expect(await importFile(winAuthFormat, `otpauth://totp/Google?secret=${SECRET_A}`)).toMatchObject({
      format: 'otpauth',
    });
  });
});
