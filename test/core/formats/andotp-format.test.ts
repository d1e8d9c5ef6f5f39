import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import { andOtpFormat } from '../../../src/core/formats/andotp-format.js';
import { SECRET_A, SECRET_B, SECRET_C } from './format-fixtures.js';
import { importFile, itemsOf, like, okEntries, problems } from './format-test-helpers.js';
import { gcmSeal, pbkdf2, randomBytes, sha256 } from './test-ciphers.js';

// andOTP backups: a JSON list of `{ secret, issuer, label, digits, type, algorithm, period,
// counter, tags }`. Encrypted (`.json.aes`), new layout: iterations (4 bytes big-endian), salt (12),
// nonce (12), AES-256-GCM ciphertext and tag, key PBKDF2-HMAC-SHA1; old layout: nonce, ciphertext
// and tag under SHA-256(password).

const ENTRIES = [
  {
    secret: SECRET_A,
    issuer: 'GitHub',
    label: 'alice',
    digits: 6,
    type: 'TOTP',
    algorithm: 'SHA1',
    period: 30,
    tags: ['Work', 'Dev'],
  },
  {
    secret: SECRET_B,
    issuer: 'Bank',
    label: 'bob',
    digits: 8,
    type: 'TOTP',
    algorithm: 'SHA256',
    period: 60,
    tags: [],
  },
  {
    secret: SECRET_C,
    issuer: 'Counter',
    label: 'c',
    digits: 7,
    type: 'HOTP',
    algorithm: 'SHA512',
    counter: 3,
    tags: ['Old'],
  },
  {
    secret: SECRET_A,
    issuer: 'Steam',
    label: 'gamer',
    digits: 5,
    type: 'STEAM',
    algorithm: 'SHA1',
    period: 30,
    tags: [],
  },
  { secret: SECRET_B, label: 'Forum - dave', digits: 6, type: 'TOTP', algorithm: 'SHA1', period: 30 },
].map((entry) => ({ thumbnail: 'Default', last_used: 0, used_frequency: 0, ...entry }));

const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice', groups: ['Work', 'Dev'] }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter:c', {
    issuer: 'Counter',
    account: 'c',
    type: 'hotp',
    algorithm: 'SHA512',
    digits: 7,
    counter: 3,
    groups: ['Old'],
  }),
  makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
  makeEntry(SECRET_B, 'Forum:dave', { issuer: 'Forum', account: 'dave' }),
];

function newFormat(plain: string, password: string, iterations = 140_000): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(iterations);
  const salt = randomBytes(12);
  const nonce = randomBytes(12);
  const { cipher, tag } = gcmSeal(pbkdf2('sha1', password, salt, iterations), nonce, Buffer.from(plain));
  return Buffer.concat([count, salt, nonce, cipher, tag]);
}

function oldFormat(plain: string, password: string): Buffer {
  const nonce = randomBytes(12);
  const { cipher, tag } = gcmSeal(sha256(Buffer.from(password, 'utf8')), nonce, Buffer.from(plain));
  return Buffer.concat([nonce, cipher, tag]);
}

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
