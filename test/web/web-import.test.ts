import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../src/core/entry/model.js';
import { textSource } from '../../src/core/formats/import-source.js';
import { planWebImport } from '../../src/web/import-entries.js';
import { aegisEntry, aegisVault, SECRET_A, SECRET_B, SECRET_C } from '../core/formats/format-fixtures.js';

/** `expect.stringMatching`, typed as the string it stands for (the matcher itself is `any`). */
function like(pattern: RegExp): string {
  return expect.stringMatching(pattern) as string;
}

describe('web import planning (pure, run in Node)', () => {
  const pasted = [
    `otpauth://totp/GitHub:alice?secret=${SECRET_A}&issuer=GitHub`,
    `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&digits=8`,
    `otpauth://hotp/Fob?secret=${SECRET_C}&counter=2`,
    'otpauth://totp/Broken?secret=1',
    `otpauth://totp/Again?secret=${SECRET_A.toLowerCase()}`,
  ].join('\n');

  it('adds plain TOTP entries and lists the ones v1 cannot hold, the invalid and the duplicates', async () => {
    const plan = await planWebImport(textSource(pasted), [], { storesParameters: false });
    expect(plan).toEqual({
      ok: true,
      format: 'otpauth:// links, one per line (Ente Auth plain export, any app)',
      warnings: [],
      rows: [
        {
          status: 'add',
          label: 'line 1 "GitHub:alice"',
          entry: makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
        },
        { status: 'needs-v2', label: 'line 2 "Bank:bob"', detail: like(/need protocol v2/) },
        { status: 'needs-v2', label: 'line 3 "Fob"', detail: like(/need protocol v2/) },
        { status: 'invalid', label: 'line 4', detail: 'the secret is not base32' },
        { status: 'duplicate', label: 'line 5 "Again"', detail: 'already stored' },
      ],
    });
  });

  it('adds every valid entry once the store holds parameters, and skips stored ones', async () => {
    const stored = [makeEntry(SECRET_A, 'GitHub')];
    const plan = await planWebImport(textSource(pasted), stored, { storesParameters: true });
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.rows.map((row) => row.status)).toEqual(['duplicate', 'add', 'add', 'invalid', 'duplicate']);
  });

  it('reads files of the other formats, asks for the password of encrypted ones, and explains what it cannot read', async () => {
    const aegis = aegisVault([aegisEntry('totp', 'X', 'y', { secret: SECRET_A, algo: 'SHA1', digits: 6, period: 30 })]);
    expect(await planWebImport(textSource(aegis), [], { storesParameters: false })).toMatchObject({
      ok: true,
      format: 'Aegis (JSON, plain or encrypted)',
    });
    expect(
      await planWebImport(textSource('{"format": "open2fa-backup", "version": 1}'), [], { storesParameters: false }),
    ).toEqual({
      ok: false,
      password: 'needed',
      message: 'This open2fa encrypted backup file is encrypted: enter its password.',
    });
    expect(await planWebImport(textSource('hello'), [], { storesParameters: false })).toEqual({
      ok: false,
      message: like(/^This cannot be imported: its format is not one open2fa reads/),
    });
  });
});
