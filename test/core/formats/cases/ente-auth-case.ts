import { argon2id } from '@noble/hashes/argon2.js';
import { createCipheriv } from 'node:crypto';
import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { randomBytes } from '../test-ciphers.js';
import { type FormatCase } from './format-case.js';

export function rotl(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

/** HChaCha20 (draft-irtf-cfrg-xchacha §2.2): 20 ChaCha rounds, no final addition, words 0–3 and 12–15. */
export function hchacha20(key: Uint8Array, input: Uint8Array): Buffer {
  const k = Buffer.from(key);
  const n = Buffer.from(input);
  const s = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];
  for (let i = 0; i < 8; i++) s.push(k.readUInt32LE(i * 4));
  for (let i = 0; i < 4; i++) s.push(n.readUInt32LE(i * 4));
  const word = (index: number): number => s[index] ?? 0;
  const quarter = (a: number, b: number, c: number, d: number): void => {
    s[a] = (word(a) + word(b)) >>> 0;
    s[d] = rotl(word(d) ^ word(a), 16);
    s[c] = (word(c) + word(d)) >>> 0;
    s[b] = rotl(word(b) ^ word(c), 12);
    s[a] = (word(a) + word(b)) >>> 0;
    s[d] = rotl(word(d) ^ word(a), 8);
    s[c] = (word(c) + word(d)) >>> 0;
    s[b] = rotl(word(b) ^ word(c), 7);
  };
  for (let round = 0; round < 10; round++) {
    quarter(0, 4, 8, 12);
    quarter(1, 5, 9, 13);
    quarter(2, 6, 10, 14);
    quarter(3, 7, 11, 15);
    quarter(0, 5, 10, 15);
    quarter(1, 6, 11, 12);
    quarter(2, 7, 8, 13);
    quarter(3, 4, 9, 14);
  }
  const out = Buffer.alloc(32);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((word, index) => out.writeUInt32LE(s[word] ?? 0, index * 4));
  return out;
}

/** `crypto_secretstream_xchacha20poly1305_push` of one message with the given tag, after init_push. */
export function secretstreamSeal(key: Uint8Array, header: Uint8Array, message: Uint8Array, tag = 3): Buffer {
  const subkey = hchacha20(key, header.subarray(0, 16));
  const nonce = Buffer.concat([Buffer.from([1, 0, 0, 0]), header.subarray(16, 24)]);
  const cipher = createCipheriv('chacha20-poly1305', subkey, nonce, { authTagLength: 16 });
  const body = Buffer.concat([
    cipher.update(Buffer.concat([Buffer.from([tag]), Buffer.alloc(63), message])),
    cipher.final(),
  ]);
  return Buffer.concat([body.subarray(0, 1), body.subarray(64), cipher.getAuthTag()]);
}

export const PLAIN = [
  `otpauth://totp/GitHub:alice?secret=${SECRET_A}&issuer=GitHub&algorithm=SHA1&digits=6&period=30&codeDisplay=${encodeURIComponent(
    JSON.stringify({ pinned: true, trashed: false, tags: ['Work', 'Dev'], note: 'main', position: 0 }),
  )}`,
  `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA256&digits=8&period=60`,
  `otpauth://hotp/Counter:c?secret=${SECRET_C}&issuer=Counter&algorithm=SHA512&digits=7&counter=11`,
  `otpauth://steam/Steam:gamer?secret=${SECRET_A}&issuer=Steam&digits=5&period=30`,
].join('\n');

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', {
    issuer: 'GitHub',
    account: 'alice',
    note: 'main',
    groups: ['Work', 'Dev'],
    favorite: true,
  }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter:c', {
    issuer: 'Counter',
    account: 'c',
    type: 'hotp',
    algorithm: 'SHA512',
    digits: 7,
    counter: 11,
  }),
  makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
];

export const MEM_LIMIT = 1024 * 1024;
export const OPS_LIMIT = 2;

export function encryptedExport(text: string, password: string, tag = 3): string {
  const salt = randomBytes(16);
  const key = argon2id(Buffer.from(password, 'utf8'), salt, { t: OPS_LIMIT, m: MEM_LIMIT / 1024, p: 1, dkLen: 32 });
  const header = randomBytes(24);
  return JSON.stringify({
    version: 1,
    kdfParams: { memLimit: MEM_LIMIT, opsLimit: OPS_LIMIT, salt: salt.toString('base64') },
    encryptedData: secretstreamSeal(key, header, Buffer.from(text, 'utf8'), tag).toString('base64'),
    encryptionNonce: header.toString('base64'),
  });
}

const PASSWORD = 'ente pw';

/** Ente Auth's plain export is otpauth lines: it is the otpauth format's case too. */
export const enteAuthCases: readonly FormatCase[] = [
  {
    format: 'otpauth',
    variant: 'otpauth:// lines (Ente Auth plain export)',
    fileName: 'ente-auth-codes.txt',
    file: () => Promise.resolve(PLAIN),
    expected: EXPECTED,
  },
  {
    format: 'ente-auth',
    variant: 'encrypted (Argon2id, XChaCha20-Poly1305)',
    fileName: 'ente-auth-codes-encrypted.txt',
    password: PASSWORD,
    file: () => Promise.resolve(encryptedExport(PLAIN, PASSWORD)),
    expected: EXPECTED,
  },
];
