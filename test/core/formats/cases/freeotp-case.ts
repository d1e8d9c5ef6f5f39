import { makeEntry } from '../../../../src/core/entry/model.js';
import {
  aesGcm,
  base32Of,
  counting,
  javaStringMap,
  pbkdf2Bytes,
  sharedPrefsXml,
  signedBytes,
} from '../android-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C, SECRET_D } from '../format-fixtures.js';
import { type FormatCase } from './format-case.js';

export const TOKENS = [
  {
    algo: 'SHA1',
    counter: 0,
    digits: 6,
    issuerExt: 'GitHub',
    issuerInt: 'GitHub',
    label: 'alice',
    period: 30,
    type: 'TOTP',
  },
  // Renamed in the app: issuerAlt and labelAlt win over the scanned label.
  {
    algo: 'SHA256',
    digits: 8,
    issuerExt: 'Old Bank',
    issuerAlt: 'Bank',
    label: 'b',
    labelAlt: 'bob',
    period: 60,
    type: 'TOTP',
  },
  { algo: 'SHA512', counter: 5, digits: 7, issuerExt: '', label: 'Counter', period: 30, type: 'HOTP' },
  { algo: 'SHA1', digits: 5, issuerExt: 'Steam', label: 'gamer', period: 30, type: 'TOTP' },
] as const;
export const SECRETS = [SECRET_A, SECRET_B, SECRET_C, SECRET_D];

export const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter', { type: 'hotp', algorithm: 'SHA512', digits: 7, counter: 5 }),
  makeEntry(SECRET_D, 'Steam:gamer', { type: 'steam', issuer: 'Steam', account: 'gamer' }),
];

export function tokensXml(tokens: readonly object[], secrets: readonly string[]): string {
  const named = tokens.map((token, index) => {
    const record = token as { issuerExt: string; label: string };
    const secret = signedBytes(base32Of(secrets[index] ?? SECRET_A));
    return [`${record.issuerExt}:${record.label}`, JSON.stringify({ ...token, secret })] as const;
  });
  // The display order differs from the file order: tokenOrder rules.
  const order = [...named].reverse().map(([name]) => name);
  return sharedPrefsXml([...named, ['tokenOrder', JSON.stringify(order)]]);
}

export interface BackupOptions {
  readonly password?: string;
  readonly algorithm?: string;
  readonly iterations?: number;
  readonly tamperToken?: number;
}

/** A FreeOTP 2 backup built as the app builds one (MasterKey.generate, EncryptedKey.encrypt). */
export async function freeotpBackup(options: BackupOptions = {}): Promise<Uint8Array> {
  const password = options.password ?? 'correct horse battery';
  const salt = counting(32, 11);
  const iterations = options.iterations ?? 100_000;
  const algorithm = options.algorithm ?? 'PBKDF2withHmacSHA512';
  const hash = algorithm.endsWith('SHA1') ? 'SHA-1' : 'SHA-512';
  const passwordKey = await pbkdf2Bytes(password, salt, iterations, hash, salt.length);
  const masterKey = counting(32, 101);
  const wrap = async (key: Uint8Array, plain: Uint8Array, token: string, seed: number): Promise<object> => {
    const nonce = counting(12, seed);
    const ciphertext = await aesGcm(key, nonce, plain, new TextEncoder().encode(token));
    // DER: SEQUENCE { OCTET STRING nonce, INTEGER 16 }
    const parameters = [0x30, 0x11, 0x04, 0x0c, ...nonce, 0x02, 0x01, 0x10];
    return {
      mCipher: 'AES/GCM/NoPadding',
      mCipherText: signedBytes(ciphertext),
      mParameters: signedBytes(new Uint8Array(parameters)),
      mToken: token,
    };
  };
  const pairs: [string, string][] = [];
  const master = {
    mAlgorithm: algorithm,
    mEncryptedKey: await wrap(passwordKey, masterKey, 'AES', 1),
    mIterations: iterations,
    mSalt: signedBytes(salt),
  };
  pairs.push(['masterKey', JSON.stringify(master)]);
  for (const [index, token] of TOKENS.entries()) {
    const uuid = `0000000${String(index)}-1111-2222-3333-444444444444`;
    const key = (await wrap(masterKey, base32Of(SECRETS[index] ?? ''), `Hmac${token.algo}`, 20 + index)) as {
      mCipherText: number[];
    };
    if (options.tamperToken === index) key.mCipherText[0] = ((key.mCipherText[0] ?? 0) + 1) % 128;
    pairs.push([uuid, JSON.stringify({ key: JSON.stringify(key) })]);
    pairs.push([`${uuid}-token`, JSON.stringify(token)]);
  }
  return javaStringMap(pairs, true);
}

export const freeotpCases: readonly FormatCase[] = [
  {
    format: 'freeotp',
    variant: 'tokens.xml (FreeOTP 1), in tokenOrder order',
    fileName: 'tokens.xml',
    file: () => Promise.resolve(tokensXml(TOKENS, SECRETS)),
    expected: [...EXPECTED].reverse(),
  },
  {
    format: 'freeotp',
    variant: 'encrypted backup (FreeOTP 2: PBKDF2-SHA512, AES-GCM)',
    fileName: 'externalBackup.xml',
    password: 'correct horse battery',
    file: () => freeotpBackup(),
    expected: EXPECTED,
  },
];
