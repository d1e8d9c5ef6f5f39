import { describe, expect, it } from 'vitest';
import { andOtpFormat } from '../../../src/core/formats/andotp-format.js';
import { SECRET_A } from './format-fixtures.js';
import { importFile, itemsOf, like, okEntries, problems } from './format-test-helpers.js';
import { ENTRIES, EXPECTED, newFormat, oldFormat } from './cases/andotp-case.js';

// andOTP backups: a JSON list of `{ secret, issuer, label, digits, type, algorithm, period,
// counter, tags }`. Encrypted (`.json.aes`), new layout: iterations (4 bytes big-endian), salt (12),
// nonce (12), AES-256-GCM ciphertext and tag, key PBKDF2-HMAC-SHA1; old layout: nonce, ciphertext
// and tag under SHA-256(password).

describe('andOTP plain backups', () => {
  it('reads every parameter and tag, and the "Issuer - account" labels of old versions', async () => {
    expect(okEntries(itemsOf(await importFile(andOtpFormat, JSON.stringify(ENTRIES)), 'andotp'))).toEqual(EXPECTED);
  });

  it('names a bad entry by position and name', async () => {
    const bad = [{ secret: SECRET_A, issuer: 'X', label: 'y', type: 'TOTP', digits: 6, algorithm: 'MD5' }];
    expect(problems(itemsOf(await importFile(andOtpFormat, JSON.stringify(bad)), 'andotp'))).toEqual([
      ['entry 1 "X:y"', 'unknown algorithm "MD5" (open2fa supports SHA1, SHA256 and SHA512)'],
    ]);
  });
});

describe('andOTP encrypted backups', () => {
  const plain = JSON.stringify(ENTRIES);

  it.each([
    ['the new PBKDF2 layout', newFormat(plain, 'andotp pw')],
    ['the old SHA-256 layout', oldFormat(plain, 'andotp pw')],
  ])('reads %s, recognised by its .json.aes name', async (_why, bytes) => {
    const options = { fileName: 'otp_accounts_2024-01-01.json.aes' };
    expect(await importFile(andOtpFormat, bytes, options)).toEqual({ kind: 'password-needed', format: 'andotp' });
    expect(
      okEntries(itemsOf(await importFile(andOtpFormat, bytes, { ...options, password: 'andotp pw' }), 'andotp')),
    ).toEqual(EXPECTED);
    expect(await importFile(andOtpFormat, bytes, { ...options, password: 'nope' })).toEqual({
      kind: 'wrong-password',
      format: 'andotp',
    });
  });

  it('recognises a renamed new-layout backup by its iteration count', async () => {
    const bytes = newFormat(plain, 'pw', 150_000);
    expect(
      okEntries(itemsOf(await importFile(andOtpFormat, bytes, { fileName: 'backup', password: 'pw' }), 'andotp')),
    ).toEqual(EXPECTED);
  });

  it('refuses an OpenPGP backup with what to do instead', async () => {
    expect(await importFile(andOtpFormat, '-----BEGIN PGP MESSAGE-----\n\nwcBMA\n-----END PGP MESSAGE-----\n')).toEqual(
      {
        kind: 'unsupported',
        format: 'andotp',
        message: like(/OpenPGP.*password-encrypted \(\.json\.aes\) or plain backup instead/),
      },
    );
  });

  it('refuses a decrypted content that is no entry list as damaged', async () => {
    const bytes = newFormat('{"not": "a list"}', 'pw', 1000);
    expect(await importFile(andOtpFormat, bytes, { fileName: 'x.json.aes', password: 'pw' })).toMatchObject({
      kind: 'unsupported',
      message: like(/damaged/),
    });
  });

  it('says wrong-password for a file too short to hold anything', async () => {
    expect(await importFile(andOtpFormat, new Uint8Array(5), { fileName: 'x.aes', password: 'pw' })).toEqual({
      kind: 'wrong-password',
      format: 'andotp',
    });
  });
});
