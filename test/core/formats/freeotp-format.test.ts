import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../../src/core/entry/model.js';
import type { ImportOutcome } from '../../../src/core/formats/format-spec.js';
import { freeotpFormat, gcmParameters } from '../../../src/core/formats/freeotp-format.js';
import type { ImportItem } from '../../../src/core/formats/import-item.js';
import { base32Of, counting, sharedPrefsXml, signedBytes, sourceOf } from './android-fixtures.js';
import { SECRET_A } from './format-fixtures.js';
import { TOKENS, SECRETS, EXPECTED, tokensXml, freeotpBackup } from './cases/freeotp-case.js';

// FreeOTP's layouts, from its public sources (Token, MasterKey, EncryptedKey) and Aegis's
// FreeOtpImporter notes: tokens.xml holds Gson JSON per token; the v2 backup is a serialised
// HashMap<String, String>.

function entries(outcome: ImportOutcome): ImportItem[] {
  if (outcome.kind !== 'entries') throw new Error(`expected entries, got ${JSON.stringify(outcome)}`);
  expect(outcome.format).toBe('freeotp');
  return [...outcome.items];
}

function good(items: readonly ImportItem[]): unknown[] {
  return items.map((item) => (item.ok ? item.entry : `${item.label}: ${item.problem}`));
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
