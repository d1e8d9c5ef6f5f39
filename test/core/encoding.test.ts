import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase32, decodeBase58, encodeBase32, encodeBase58, normalizeBase32 } from '../../src/core/index.js';
import { bytesToUtf8, decodeBase64Url, encodeBase64Url, encodeHex } from '../../src/core/encoding.js';

describe('base58 (Bitcoin alphabet)', () => {
  it.each([
    ['', ''],
    ['00', '1'],
    ['0000ff', '115Q'],
    ['61', '2g'],
    ['626262', 'a3gV'],
    ['00eb15231dfceb60925886b67d065299925915aeb172c06647', '1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L'],
  ])('%s ↔ %s', (hexText, text) => {
    const bytes = Uint8Array.from(hexText.match(/../g)?.map((pair) => parseInt(pair, 16)) ?? []);
    expect(encodeBase58(bytes)).toBe(text);
    if (text !== '') expect(encodeHex(decodeBase58(text))).toBe(hexText);
  });

  it('round-trips any bytes, leading zeros included (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 4 }), (bytes, zeros) => {
        const input = Uint8Array.from([...new Array<number>(zeros).fill(0), ...bytes]);
        if (input.length === 0) return;
        expect(decodeBase58(encodeBase58(input))).toEqual(input);
      }),
    );
  });

  it.each(['', '0', 'O', 'I', 'l', 'abc+', ' 2g'])('rejects %j', (text) => {
    expect(() => decodeBase58(text)).toThrow(expect.objectContaining({ code: 'invalid_base58' }) as Error);
  });
});

describe('base32 (RFC 4648 §6, lenient like authenticator apps)', () => {
  it.each([
    ['JBSWY3DPEHPK3PXP', 'JBSWY3DPEHPK3PXP'],
    ['jbswy3dpehpk3pxp', 'JBSWY3DPEHPK3PXP'],
    ['jbsw y3dp ehpk 3pxp', 'JBSWY3DPEHPK3PXP'],
    ['JBSW-Y3DP-EHPK-3PXP', 'JBSWY3DPEHPK3PXP'],
    ['MZXW6===', 'MZXW6'],
    ['MZXW6', 'MZXW6'],
  ])('normalises %j', (input, canonical) => {
    expect(normalizeBase32(input)).toBe(canonical);
  });

  it('decodes the RFC 4648 §10 test vectors', () => {
    const cases: [string, string][] = [
      ['MY======', 'f'],
      ['MZXQ====', 'fo'],
      ['MZXW6===', 'foo'],
      ['MZXW6YQ=', 'foob'],
      ['MZXW6YTB', 'fooba'],
      ['MZXW6YTBOI======', 'foobar'],
    ];
    for (const [text, plain] of cases) {
      expect(bytesToUtf8(decodeBase32(text))).toBe(plain);
      expect(bytesToUtf8(decodeBase32(text.toLowerCase().replace(/=+$/, '')))).toBe(plain);
    }
  });

  it('ignores unused trailing bits, as other authenticators do', () => {
    // 'MZ' holds one byte and two spare bits; 'M3' sets them.
    expect(decodeBase32('M3')).toEqual(decodeBase32('MY'));
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        expect(decodeBase32(encodeBase32(bytes))).toEqual(bytes);
        expect(decodeBase32(encodeBase32(bytes).toLowerCase())).toEqual(bytes);
      }),
    );
  });

  it.each(['', '   ', 'A', 'ABC', 'ABCDEF', 'JBSWY3DPEHPK3PX1', 'JBSWY3DP0', 'JBSW Y3DP!', '=MZXW6', 'MZ=XW6', 'Ä'])(
    'rejects %j',
    (text) => {
      expect(normalizeBase32(text)).toBeNull();
      expect(() => decodeBase32(text)).toThrow(expect.objectContaining({ code: 'invalid_base32' }) as Error);
    },
  );
});

describe('base64url', () => {
  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(decodeBase64Url(text)).toEqual(bytes);
      }),
    );
  });
});
