import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { freeotpFormat, gcmParameters } from '../../../src/core/formats/freeotp-format.js';
import type { ImportItem } from '../../../src/core/formats/import-item.js';
import {
  aesGcm,
  base32Of,
  counting,
  javaStringMap,
  pbkdf2Bytes,
  sharedPrefsXml,
  signedBytes,
  sourceOf,
} from './android-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C, SECRET_D } from './format-fixtures.js';

// FreeOTP's layouts, from its public sources (Token, MasterKey, EncryptedKey) and Aegis's
// FreeOtpImporter notes: tokens.xml holds Gson JSON per token; the v2 backup is a serialised
// HashMap<String, String>.

const TOKENS = [
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
const SECRETS = [SECRET_A, SECRET_B, SECRET_C, SECRET_D];

const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA256', digits: 8, period: 60 }),
  makeEntry(SECRET_C, 'Counter', { type: 'hotp', algorithm: 'SHA512', digits: 7, counter: 5 }),
  makeEntry(SECRET_D, 'Steam:gamer', { type: 'steam', issuer: 'Steam', account: 'gamer' }),
];

function entries(outcome: ImportOutcome): ImportItem[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('freeotp');
  return [...outcome.items];
}

function good(items: readonly ImportItem[]): unknown[] {
  return items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
}

function tokensXml(tokens: readonly object[], secrets: readonly string[]): string {
  const named = tokens.map((token, index) => {
    const record = token as { issuerExt: string; label: string };
    const secret = signedBytes(base32Of(secrets[index] ?? SECRET_A));
    return [`${record.issuerExt}:${record.label}`, JSON.stringify({ ...token, secret })] as const;
  });
  // The display order differs from the file order: tokenOrder rules.
  const order = [...named].reverse().map(([name]) => name);
  return sharedPrefsXml([...named, ['tokenOrder', JSON.stringify(order)]]);
}

describe('FreeOTP tokens.xml (FreeOTP 1)', () => {
  it('reads every token and parameter, in tokenOrder order', async () => {
    const source = sourceOf(tokensXml(TOKENS, SECRETS), 'tokens.xml');
    expect(freeotpFormat.detect(source)).toBe(true);
    const items = entries(await freeotpFormat.parse(source, {}));
    expect(good(items)).toEqual([...EXPECTED].reverse());
    expect(items.map((item) => item.label)).toEqual([
      'entry 1 "Steam:gamer"',
      'entry 2 "Counter"',
      'entry 3 "Bank:bob"',
      'entry 4 "GitHub:alice"',
    ]);
  });

  it('names each bad token by position and name, and keeps reading', async () => {
    const xml = sharedPrefsXml([
      ['tokenOrder', '["A:one","B:two","C:three","D:four"]'],
      [
        'A:one',
        JSON.stringify({ ...TOKENS[0], issuerExt: 'A', label: 'one', secret: signedBytes(base32Of(SECRET_A)) }),
      ],
      ['B:two', JSON.stringify({ ...TOKENS[0], issuerExt: 'B', label: 'two', type: 'PUSH', secret: [1, 2, 3] })],
      ['C:three', '{"algo": "SHA1", damaged'],
      ['D:four', JSON.stringify({ ...TOKENS[0], issuerExt: 'D', label: 'four', algo: 'SHA224', secret: [1, 2] })],
    ]);
    const items = entries(await freeotpFormat.parse(sourceOf(xml), {}));
    expect(good(items)).toEqual([
      makeEntry(SECRET_A, 'A:one', { issuer: 'A', account: 'one' }),
      expect.stringMatching(/^entry 2 "B:two": unsupported type "push"/),
      'entry 3 "C:three": the token is not valid JSON',
      expect.stringMatching(/^entry 4 "D:four": unknown algorithm "SHA224"/),
    ]);
  });

  it('does not take other XML or text for tokens.xml', () => {
    expect(freeotpFormat.detect(sourceOf(sharedPrefsXml([['other', 'x']])))).toBe(false);
    expect(freeotpFormat.detect(sourceOf('{"tokenOrder": []}'))).toBe(false);
    expect(freeotpFormat.detect(sourceOf(new Uint8Array([0xac, 0xed, 0x00])))).toBe(false);
  });
});

interface BackupOptions {
  readonly password?: string;
  readonly algorithm?: string;
  readonly iterations?: number;
  readonly tamperToken?: number;
}

/** A FreeOTP 2 backup built as the app builds one (MasterKey.generate, EncryptedKey.encrypt). */
async function freeotpBackup(options: BackupOptions = {}): Promise<Uint8Array> {
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

describe('FreeOTP 2 encrypted backup (Java-serialised HashMap)', () => {
  it('decrypts every token with PBKDF2-HMAC-SHA512 and AES-GCM, and reads every parameter', async () => {
    const source = sourceOf(await freeotpBackup(), 'externalBackup.xml');
    expect(source.text).toBeNull();
    expect(freeotpFormat.detect(source)).toBe(true);
    expect(await freeotpFormat.parse(source, {})).toEqual({ kind: 'password-needed', format: 'freeotp' });
    const items = entries(await freeotpFormat.parse(source, { password: 'correct horse battery' }));
    expect(good(items)).toEqual(EXPECTED);
  });

  it('reads the PBKDF2-HMAC-SHA1 variant (devices without SHA512)', async () => {
    const source = sourceOf(await freeotpBackup({ algorithm: 'PBKDF2withHmacSHA1', iterations: 2_000 }));
    expect(good(entries(await freeotpFormat.parse(source, { password: 'correct horse battery' })))).toEqual(EXPECTED);
  });

  it('refuses a wrong password as wrong-password, reading nothing', async () => {
    const source = sourceOf(await freeotpBackup({ iterations: 2_000 }));
    expect(await freeotpFormat.parse(source, { password: 'wrong' })).toEqual({
      kind: 'wrong-password',
      format: 'freeotp',
    });
  });

  it('names a token whose secret does not decrypt, and reads the others', async () => {
    const source = sourceOf(await freeotpBackup({ iterations: 2_000, tamperToken: 1 }));
    const items = entries(await freeotpFormat.parse(source, { password: 'correct horse battery' }));
    expect(good(items)).toEqual([
      EXPECTED[0],
      'entry 2 "Bank:bob": the secret of this token does not decrypt',
      EXPECTED[2],
      EXPECTED[3],
    ]);
  });

  it('calls a damaged backup unsupported instead of throwing', async () => {
    const whole = await freeotpBackup({ iterations: 2_000 });
    for (const cut of [5, 40, whole.length - 1]) {
      const outcome = await freeotpFormat.parse(sourceOf(whole.slice(0, cut)), { password: 'x' });
      expect(outcome).toEqual({
        kind: 'unsupported',
        format: 'freeotp',
        message: expect.stringMatching(/damaged/) as string,
      });
    }
    const hugeKdf = await freeotpBackup({ iterations: 2_000 });
    const text = new TextDecoder('latin1').decode(hugeKdf).replace('"mIterations":2000', '"mIterations":9e99');
    const bytes = Uint8Array.from(text, (char) => char.charCodeAt(0));
    // Same length: the serialised string length still matches.
    expect(bytes.length).toBe(hugeKdf.length);
    const outcome = await freeotpFormat.parse(sourceOf(bytes), { password: 'x' });
    expect(outcome.kind).toBe('unsupported');
  });

  it('reads the GCM parameters as Java encodes them (RFC 5084)', () => {
    const nonce = counting(12);
    expect(gcmParameters(new Uint8Array([0x30, 0x11, 0x04, 0x0c, ...nonce, 0x02, 0x01, 0x10]))).toEqual({
      nonce,
      tagBytes: 16,
    });
    expect(gcmParameters(new Uint8Array([0x30, 0x0e, 0x04, 0x0c, ...nonce]))).toEqual({ nonce, tagBytes: 12 });
    expect(gcmParameters(new Uint8Array([0x04, 0x0c, ...nonce]))).toEqual({ nonce, tagBytes: 16 });
    expect(gcmParameters(new Uint8Array([0x30, 0x11, 0x04, 0x0c, ...nonce, 0x02, 0x01, 0x08]))).toBeNull();
    expect(gcmParameters(new Uint8Array([0x30, 0x20, 0x04]))).toBeNull();
  });
});
