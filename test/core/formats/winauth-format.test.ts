import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { winAuthFormat } from '../../../src/core/formats/winauth-format.js';
import { SECRET_A, SECRET_B } from './format-fixtures.js';
import { importFile, itemsOf, okEntries, problems } from './format-test-helpers.js';

// WinAuth's text export: otpauth:// lines labelled with the authenticator's name in WinAuth.

describe('WinAuth text export', () => {
  it('is recognised by its file name and keeps the label as the issuer', async () => {
    const text = [
      `otpauth://totp/Google?secret=${SECRET_A}&digits=6`,
      `otpauth://totp/Work%20VPN?secret=${SECRET_B}&digits=8&period=60&algorithm=SHA256`,
      `otpauth://totp/alice?secret=${SECRET_A}&issuer=GitHub`,
      'otpauth://totp/Broken?secret=1',
    ].join('\r\n');
    const items = itemsOf(await importFile(winAuthFormat, text, { fileName: 'winauth-2024-01-01.txt' }), 'winauth');
    expect(okEntries(items.slice(0, 3))).toEqual([
      makeEntry(SECRET_A, 'Google', { issuer: 'Google' }),
      makeEntry(SECRET_B, 'Work VPN', { issuer: 'Work VPN', digits: 8, period: 60, algorithm: 'SHA256' }),
      makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
    ]);
    expect(problems(items)).toEqual([['line 4', 'the secret is not base32']]);
  });

  it('is read as otpauth lines under any other name', async () => {
    expect(await importFile(winAuthFormat, `otpauth://totp/Google?secret=${SECRET_A}`)).toMatchObject({
      format: 'otpauth',
    });
  });
});
