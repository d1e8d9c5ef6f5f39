import { argon2id } from '@noble/hashes/argon2.js';
import { makeEntry } from '../../../../src/core/entry/model.js';
import { SECRET_A, SECRET_B, SECRET_C } from '../format-fixtures.js';
import { cbcSeal, hmac, pbkdf2, randomBytes, sha256 } from '../test-ciphers.js';
import { type FormatCase } from './format-case.js';

export const PLAIN = {
  encrypted: false,
  folders: [{ id: 'f-1', name: 'Work' }],
  items: [
    login('GitHub', 'alice', SECRET_A, { folderId: 'f-1', favorite: true, notes: 'the old account' }),
    login('Bank', 'x', `otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&algorithm=SHA256&digits=8&period=60`),
    login('Forum', 'carol', null),
    login(
      'Counter',
      'c',
      `otpauth://hotp/Counter:c?secret=${SECRET_C}&issuer=Counter&counter=4&digits=7&algorithm=SHA512`,
    ),
    login('Steam', 'gamer', `steam://${SECRET_A}`),
    { id: 'n', type: 2, name: 'A note', notes: 'no login here', secureNote: { type: 0 } },
  ],
};

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', {
    issuer: 'GitHub',
    account: 'alice',
    note: 'the old account',
    groups: ['Work'],
    favorite: true,
  }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter:c', {
    issuer: 'Counter',
    account: 'c',
    type: 'hotp',
    algorithm: 'SHA512',
    digits: 7,
    counter: 4,
  }),
  makeEntry(SECRET_A, 'Steam:gamer', { issuer: 'Steam', account: 'gamer', type: 'steam' }),
];

export function login(name: string, username: string, totp: string | null, extra: Record<string, unknown> = {}) {
  return {
    id: `id-${name}`,
    organizationId: null,
    folderId: null,
    type: 1,
    reprompt: 0,
    name,
    notes: null,
    favorite: false,
    login: { uris: [], username, password: 'hunter2', totp },
    collectionIds: null,
    ...extra,
  };
}

export interface Kdf {
  kdfType: 0 | 1;
  kdfIterations: number;
  kdfMemory?: number;
  kdfParallelism?: number;
}

export function encString(plain: string, enc: Buffer, mac: Buffer): string {
  const iv = randomBytes(16);
  const cipher = cbcSeal(enc, iv, Buffer.from(plain, 'utf8'));
  return `2.${iv.toString('base64')}|${cipher.toString('base64')}|${hmac(mac, Buffer.concat([iv, cipher])).toString('base64')}`;
}

export function passwordProtected(plain: unknown, password: string, kdf: Kdf): string {
  const salt = randomBytes(16).toString('base64');
  const key =
    kdf.kdfType === 0
      ? pbkdf2('sha256', password, Buffer.from(salt, 'utf8'), kdf.kdfIterations)
      : Buffer.from(
          argon2id(Buffer.from(password, 'utf8'), sha256(Buffer.from(salt, 'utf8')), {
            t: kdf.kdfIterations,
            m: (kdf.kdfMemory ?? 0) * 1024,
            p: kdf.kdfParallelism ?? 1,
            dkLen: 32,
          }),
        );
  // HKDF-Expand only: node's hkdf extracts first, so expand by hand with one HMAC block.
  const expand = (info: string): Buffer => hmac(key, Buffer.concat([Buffer.from(info), Buffer.from([1])]));
  const [enc, mac] = [expand('enc'), expand('mac')];
  return JSON.stringify({
    encrypted: true,
    passwordProtected: true,
    salt,
    kdfType: kdf.kdfType,
    kdfIterations: kdf.kdfIterations,
    kdfMemory: kdf.kdfMemory ?? null,
    kdfParallelism: kdf.kdfParallelism ?? null,
    encKeyValidation_DO_NOT_EDIT: encString('f9c3a4d2-5a39-4e0c-9d57-1c9e0b7a4b11', enc, mac),
    data: encString(JSON.stringify(plain), enc, mac),
  });
}

export const CSV_HEADER =
  'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp';

/** A Bitwarden CSV export: quoted fields, a note across lines, a login without TOTP. */
export const CSV = [
  CSV_HEADER,
  `Work,1,login,GitHub,"the old account",,0,https://github.com,alice,pw,${SECRET_A}`,
  `,,login,"Bank, Inc.","line one\r\nline ""two""",,0,,bob,pw,"otpauth://totp/Bank:bob?secret=${SECRET_B}&issuer=Bank&digits=8"`,
  ',,login,Forum,,,0,,carol,pw,',
  `,,login,Steam,,,0,,gamer,pw,steam://${SECRET_A}`,
  '',
].join('\r\n');

export const CSV_EXPECTED = [
  EXPECTED[0],
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', digits: 8, note: 'line one\r\nline "two"' }),
  EXPECTED[3],
].filter((entry) => entry !== undefined);

const PASSWORD = 'bitwarden export pw';

export const bitwardenCases: readonly FormatCase[] = [
  {
    format: 'bitwarden',
    variant: 'plain JSON',
    fileName: 'bitwarden_export.json',
    file: () => Promise.resolve(JSON.stringify(PLAIN)),
    expected: EXPECTED,
  },
  {
    format: 'bitwarden',
    variant: 'password-protected JSON (PBKDF2-SHA256)',
    fileName: 'bitwarden_encrypted_export.json',
    password: PASSWORD,
    file: () => Promise.resolve(passwordProtected(PLAIN, PASSWORD, { kdfType: 0, kdfIterations: 5000 })),
    expected: EXPECTED,
  },
  {
    format: 'bitwarden',
    variant: 'password-protected JSON (Argon2id)',
    fileName: 'bitwarden_encrypted_export_argon2.json',
    password: PASSWORD,
    file: () =>
      Promise.resolve(
        passwordProtected(PLAIN, PASSWORD, { kdfType: 1, kdfIterations: 3, kdfMemory: 16, kdfParallelism: 4 }),
      ),
    expected: EXPECTED,
  },
  {
    format: 'bitwarden-csv',
    variant: 'CSV',
    fileName: 'bitwarden_export.csv',
    file: () => Promise.resolve(CSV),
    expected: CSV_EXPECTED,
  },
];
