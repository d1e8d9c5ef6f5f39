import { describe, expect, it } from 'vitest';
import { base64, hex } from '@scure/base';
import { makeEntry } from '../../../src/core/entry/model.js';
import { authyFormat } from '../../../src/core/formats/authy-format.js';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { aesCbc, base32Of, pbkdf2Bytes, sharedPrefsXml, sourceOf } from './android-fixtures.js';
import { SECRET_A, SECRET_B, SECRET_C, SECRET_D } from './format-fixtures.js';

interface AuthyToken {
  readonly decryptedSecret: string;
  readonly [field: string]: unknown;
}

// Authy's shared preferences as Aegis's AuthyImporter documents them: a JSON list under
// com.authy.storage.tokens.authenticator.key; encrypted secrets are AES-256-CBC (zero IV) under
// PBKDF2-HMAC-SHA1(password, salt, 1000 iterations).

const AUTHENTICATOR_KEY = 'com.authy.storage.tokens.authenticator.key';
const PASSWORD = 'authy backup password';

const PLAIN: readonly AuthyToken[] = [
  {
    accountType: 'github',
    decryptedSecret: SECRET_A,
    digits: 6,
    name: 'GitHub: alice',
    originalName: 'GitHub:alice',
    originalIssuer: 'GitHub',
    timestamp: 1,
  },
  { accountType: 'bank', decryptedSecret: SECRET_B, digits: 8, name: 'Bank - bob', originalName: 'bob', timestamp: 2 },
  { accountType: 'dropbox', decryptedSecret: SECRET_C, digits: 6, name: 'carol@example.com', timestamp: 3 },
];

const EXPECTED = [
  makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' }),
  makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', digits: 8 }),
  makeEntry(SECRET_C, 'Dropbox:carol@example.com', { issuer: 'Dropbox', account: 'carol@example.com' }),
];

function results(outcome: ImportOutcome): unknown[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('authy');
  return outcome.items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
}

async function encrypted(token: AuthyToken, index: number, password = PASSWORD): Promise<object> {
  const { decryptedSecret, ...rest } = token;
  const salt = `salt-${String(index)}-QmFzZTY0`;
  const key = await pbkdf2Bytes(password, new TextEncoder().encode(salt), 1000, 'SHA-1', 32);
  const ciphertext = await aesCbc(key, new Uint8Array(16), new TextEncoder().encode(decryptedSecret));
  return { ...rest, encryptedSecret: base64.encode(ciphertext), salt };
}

describe('Authy shared preferences (plain)', () => {
  it('reads every token, its digits and its issuer from the fields Authy keeps', async () => {
    const source = sourceOf(
      sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(PLAIN)]]),
      'com.authy.storage.tokens.authenticator.xml',
    );
    expect(authyFormat.detect(source)).toBe(true);
    expect(results(await authyFormat.parse(source, {}))).toEqual(EXPECTED);
  });

  it("reads Authy's own tokens: a hex seed, 10-second codes", async () => {
    const seed = hex.encode(base32Of(SECRET_D));
    const xml = sharedPrefsXml([
      ['com.authy.storage.tokens.authy.key', JSON.stringify([{ secretSeed: seed, digits: 7, name: 'Twilio' }])],
    ]);
    expect(results(await authyFormat.parse(sourceOf(xml), {}))).toEqual([
      makeEntry(SECRET_D, 'Twilio', { issuer: 'Twilio', digits: 7, period: 10 }),
    ]);
  });

  it('names bad tokens by position and name', async () => {
    const tokens = [
      { ...PLAIN[0], decryptedSecret: 'not base32!' },
      { ...PLAIN[1], digits: 4 },
      { secretSeed: 'zz', digits: 7, name: 'Broken' },
      42,
    ];
    const xml = sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(tokens)]]);
    expect(results(await authyFormat.parse(sourceOf(xml), {}))).toEqual([
      'entry 1 "GitHub:alice": the secret is not base32',
      'entry 2 "Bank:bob": digits must be 6 to 8',
      'entry 3 "Broken": the secret does not decrypt or decode',
      'entry 4: not an Authy token',
    ]);
  });

  it('calls a file without a token list unsupported', async () => {
    const xml = sharedPrefsXml([[AUTHENTICATOR_KEY, '{damaged']]);
    expect((await authyFormat.parse(sourceOf(xml), {})).kind).toBe('unsupported');
    expect(authyFormat.detect(sourceOf(sharedPrefsXml([['tokenOrder', '[]']])))).toBe(false);
  });
});

describe('Authy shared preferences (encrypted secrets)', () => {
  it('decrypts every secret with the backup password', async () => {
    const tokens = await Promise.all(PLAIN.map((token, index) => encrypted(token, index)));
    const source = sourceOf(sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(tokens)]]));
    expect(await authyFormat.parse(source, {})).toEqual({ kind: 'password-needed', format: 'authy' });
    expect(results(await authyFormat.parse(source, { password: PASSWORD }))).toEqual(EXPECTED);
  });

  it('refuses a wrong password as wrong-password', async () => {
    const tokens = await Promise.all(PLAIN.map((token, index) => encrypted(token, index)));
    const source = sourceOf(sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(tokens)]]));
    expect(await authyFormat.parse(source, { password: 'nope' })).toEqual({ kind: 'wrong-password', format: 'authy' });
  });

  it('names one secret that does not decrypt once the password has opened another', async () => {
    const [first, second] = PLAIN as [AuthyToken, AuthyToken];
    const tokens = [await encrypted(first, 0), await encrypted(second, 1, 'another password')];
    const source = sourceOf(sharedPrefsXml([[AUTHENTICATOR_KEY, JSON.stringify(tokens)]]));
    expect(results(await authyFormat.parse(source, { password: PASSWORD }))).toEqual([
      EXPECTED[0],
      'entry 2 "Bank:bob": the secret does not decrypt or decode',
    ]);
  });
});
