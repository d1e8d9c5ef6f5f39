import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../vectors/open2fa-v1.json' with { type: 'json' };
import { decodeHex, encodeBase58, encodeHex } from '../../src/core/encoding.js';
import {
  decryptV1,
  deriveV1Credentials,
  encryptV1,
  isOpen2faError,
  parseUuid,
  parseV1Secret,
  randomUuid,
} from '../../src/core/index.js';

describe('open2fa v1 derivation (vectors from the 1.x client)', () => {
  it.each(vectors.cases)('$uuid → $id', async (vector) => {
    const credentials = await deriveV1Credentials(vector.uuid);
    expect(credentials.id).toBe(vector.id);
    expect(credentials.secret).toBe(vector.key_b58);
    expect(encodeHex(credentials.key)).toBe(vector.key_hex);
    expect(encodeHex(parseV1Secret(vector.key_b58))).toBe(vector.key_hex);
  });

  it('keeps leading zero bytes as leading 1s (ID and Secret)', () => {
    const zeroId = vectors.cases.find((vector) => vector.sha256_hex.startsWith('00'));
    const zeroKey = vectors.cases.find((vector) => vector.key_hex.startsWith('00'));
    expect(zeroId?.id.startsWith('1')).toBe(true);
    expect(zeroKey?.key_b58.startsWith('1')).toBe(true);
    expect(parseV1Secret(zeroKey?.key_b58 ?? '')[0]).toBe(0);
  });

  it('accepts the UUID spellings Python accepts', async () => {
    const [first] = vectors.cases;
    if (first === undefined) throw new Error('no vectors');
    const spellings = [
      first.uuid.toUpperCase(),
      first.uuid.replaceAll('-', ''),
      `{${first.uuid}}`,
      `urn:uuid:${first.uuid}`,
      ` ${first.uuid}\n`,
    ];
    for (const spelling of spellings) {
      expect((await deriveV1Credentials(spelling)).id).toBe(first.id);
    }
  });
});

describe('open2fa v1 cipher (AES-128-CBC, fixed IV)', () => {
  const encryptions = vectors.cases.flatMap((vector) =>
    vector.encryptions.map((encryption) => ({ ...encryption, key_hex: vector.key_hex })),
  );

  it.each(encryptions)('encrypts $secret under $key_hex', async (vector) => {
    expect(await encryptV1(decodeHex(vector.key_hex), vector.secret)).toBe(vector.enc_secret);
  });

  it.each(encryptions)('decrypts $enc_secret', async (vector) => {
    expect(await decryptV1(decodeHex(vector.key_hex), vector.enc_secret)).toBe(vector.secret);
  });

  it('round-trips any text under any key (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.string({ unit: 'grapheme' }),
        async (key, text) => {
          const owned = Uint8Array.from(key);
          expect(await decryptV1(owned, await encryptV1(owned, text))).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('v1 must reject', () => {
  const [vector] = vectors.cases;
  if (vector === undefined) throw new Error('no vectors');
  const [encryption] = vector.encryptions;
  if (encryption === undefined) throw new Error('no vectors');
  const key = decodeHex(vector.key_hex);

  it.each([
    '',
    'not a uuid',
    '692a3e6b-4bd4-400b-aa2b-8261695b5ff',
    '692a3e6b-4bd4-400b-aa2b-8261695b5ffbb',
    'g92a3e6b-4bd4-400b-aa2b-8261695b5ffb',
  ])('UUID %j', (text) => {
    expect(() => parseUuid(text)).toThrow(expect.objectContaining({ code: 'invalid_uuid' }) as Error);
  });

  it.each(['', '0OIl', 'GiRVCWuSBPaVM7xfER9h6xxx', 'GiRVCWuSBPaVM7xfER9h'])('Open2FA Secret %j', (secret) => {
    expect(() => parseV1Secret(secret)).toThrow(expect.objectContaining({ code: 'invalid_key' }) as Error);
  });

  it('a wrong key', async () => {
    const wrong = decodeHex(vectors.cases[1]?.key_hex ?? '');
    // Unauthenticated CBC: a wrong key is caught by the padding or UTF-8 check, for every vector.
    for (const candidate of vector.encryptions) {
      const error: unknown = await decryptV1(wrong, candidate.enc_secret).catch((caught: unknown) => caught);
      expect(isOpen2faError(error, 'decrypt_failed')).toBe(true);
    }
  });

  it('a truncated ciphertext', async () => {
    const bytes = decodeBase58Strict(encryption.enc_secret);
    const truncated = encodeBase58(bytes.subarray(0, bytes.length - 1));
    await expect(decryptV1(key, truncated)).rejects.toMatchObject({ code: 'invalid_ciphertext' });
    await expect(decryptV1(key, encodeBase58(bytes.subarray(0, 16)))).rejects.toMatchObject({
      code: 'decrypt_failed',
    });
  });

  it.each(['', '0OIl', 'abc def'])('ciphertext %j', async (text) => {
    await expect(decryptV1(key, text)).rejects.toMatchObject({ code: 'invalid_ciphertext' });
  });

  it('a key of the wrong length is a programming error', async () => {
    await expect(encryptV1(new Uint8Array(15), 'A')).rejects.toThrow(TypeError);
  });
});

describe('randomUuid', () => {
  it('makes version 4 UUIDs that derive credentials', async () => {
    const uuid = randomUuid();
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await deriveV1Credentials(uuid)).id.length).toBeGreaterThan(15);
    expect(randomUuid()).not.toBe(uuid);
  });

  it('uses the random source it is given', () => {
    expect(randomUuid((bytes) => bytes.fill(0))).toBe('00000000-0000-4000-8000-000000000000');
  });
});

function decodeBase58Strict(text: string): Uint8Array {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  // A slow, independent reference decoder, so the test does not trust the code under test.
  let value = 0n;
  for (const char of text) value = value * 58n + BigInt(alphabet.indexOf(char));
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  const zeros = /^1*/.exec(text)?.[0].length ?? 0;
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...bytes]);
}
