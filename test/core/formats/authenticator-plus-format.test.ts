import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { authenticatorPlusFormat } from '../../../src/core/formats/authenticator-plus-format.js';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { counting, sourceOf } from './android-fixtures.js';
import { SECRET_A } from './format-fixtures.js';
import { zipFile } from './zip-fixtures.js';
import {
  ACCOUNTS,
  backupDatabase,
  DATABASE_EXPECTED,
  EXPECTED,
  exportZip,
  PASSWORD,
} from './cases/authenticator-plus-case.js';

// Authenticator Plus's "Export as Text and HTML" as Aegis's AuthenticatorPlusImporter documents it:
// a password-protected ZIP with Accounts.txt (otpauth:// lines) and an HTML page.

function results(outcome: ImportOutcome): unknown[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('authenticator-plus');
  return outcome.items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
}

describe('Authenticator Plus export ZIP', () => {
  for (const encryption of ['aes-256', 'aes-128', 'zipcrypto'] as const) {
    it(`decrypts Accounts.txt (${encryption}) and reads every parameter`, async () => {
      const source = sourceOf(exportZip(encryption), 'Authenticator-Plus-Export.zip');
      expect(authenticatorPlusFormat.detect(source)).toBe(true);
      expect(await authenticatorPlusFormat.parse(source, {})).toEqual({
        kind: 'password-needed',
        format: 'authenticator-plus',
      });
      expect(results(await authenticatorPlusFormat.parse(source, { password: PASSWORD }))).toEqual(EXPECTED);
      expect(await authenticatorPlusFormat.parse(source, { password: 'wrong' })).toEqual({
        kind: 'wrong-password',
        format: 'authenticator-plus',
      });
    });
  }

  it('reads AE-1 (CRC kept), stored members, and a member in a folder', async () => {
    const ae1 = sourceOf(exportZip('aes-192', { aesVersion: 1 }));
    expect(results(await authenticatorPlusFormat.parse(ae1, { password: PASSWORD }))).toEqual(EXPECTED);
    const stored = sourceOf(
      zipFile([
        { name: 'export/Accounts.txt', content: ACCOUNTS, password: 'p', encryption: 'zipcrypto', store: true },
      ]),
    );
    expect(results(await authenticatorPlusFormat.parse(stored, { password: 'p' }))).toEqual(EXPECTED);
  });

  it('names bad lines by line number', async () => {
    const text = `otpauth://totp/Shop:dave?secret=not-base32!&issuer=Shop\nhello\notpauth://totp/A:b?secret=${SECRET_A}`;
    const source = sourceOf(zipFile([{ name: 'Accounts.txt', content: text, password: 'p', encryption: 'aes-256' }]));
    expect(results(await authenticatorPlusFormat.parse(source, { password: 'p' }))).toEqual([
      expect.stringMatching(/^line 1( "Shop:dave")?: /),
      expect.stringMatching(/^line 2: /),
      makeEntry(SECRET_A, 'A:b', { issuer: 'A', account: 'b' }),
    ]);
  });

  it('calls a damaged archive unsupported, never throwing', async () => {
    const whole = exportZip('aes-256');
    const flipped = whole.slice();
    // Header 30 + name 12 + AES extra 11, then salt 16 and verifier 2: byte 76 is ciphertext.
    flipped[76] = (flipped[76] ?? 0) ^ 0xff;
    expect(await authenticatorPlusFormat.parse(sourceOf(flipped), { password: PASSWORD })).toEqual({
      kind: 'unsupported',
      format: 'authenticator-plus',
      message: 'the archive is damaged: Accounts.txt fails its authentication code (damaged, or a wrong password)',
    });
    const salted = whole.slice();
    salted[60] = (salted[60] ?? 0) ^ 0xff; // the salt: the derived verifier no longer matches
    expect((await authenticatorPlusFormat.parse(sourceOf(salted), { password: PASSWORD })).kind).toBe('wrong-password');
    for (const bytes of [
      whole.slice(0, whole.length - 30),
      whole.slice(0, 40),
      new Uint8Array([0x50, 0x4b, 3, 4, ...counting(40)]),
    ]) {
      expect((await authenticatorPlusFormat.parse(sourceOf(bytes), { password: PASSWORD })).kind).toBe('unsupported');
    }
    const other = sourceOf(zipFile([{ name: 'notes.txt', content: 'x' }]));
    expect(authenticatorPlusFormat.detect(other)).toBe(false);
  });

  it('opens the SQLCipher 3 backup database with the master password, and tells a wrong one', async () => {
    const database = sourceOf(await backupDatabase(), 'authplus.db');
    expect(authenticatorPlusFormat.detect(database)).toBe(true);
    expect(await authenticatorPlusFormat.parse(database, {})).toEqual({
      kind: 'password-needed',
      format: 'authenticator-plus',
    });
    expect(results(await authenticatorPlusFormat.parse(database, { password: PASSWORD }))).toEqual(DATABASE_EXPECTED);
    expect(await authenticatorPlusFormat.parse(database, { password: 'not it' })).toEqual({
      kind: 'wrong-password',
      format: 'authenticator-plus',
    });
    expect(await authenticatorPlusFormat.parse(sourceOf(counting(4096, 9), 'authplus.db'), { password: 'x' })).toEqual({
      kind: 'wrong-password',
      format: 'authenticator-plus',
    });
  });
});
