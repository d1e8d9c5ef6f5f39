import { describe, expect, it } from 'vitest';
import vectors from '../vectors/rfc6238.json' with { type: 'json' };
import { hotpCode, totpCode, totpCounter, totpSecondsRemaining, type OtpAlgorithm } from '../../src/core/index.js';

interface TotpVector {
  algorithm: OtpAlgorithm;
  secret_base32: string;
  time: number;
  period: number;
  digits: number;
  code: string;
}

const totpVectors = vectors.totp as TotpVector[];
const hotpVectors = vectors.hotp as { secret_base32: string; counter: number; code: string }[];

describe('RFC 6238 appendix B (TOTP)', () => {
  it.each(totpVectors)('$algorithm at T=$time gives $code', (vector) => {
    const code = totpCode(
      { secret: vector.secret_base32, algorithm: vector.algorithm, digits: vector.digits, period: vector.period },
      vector.time * 1000,
    );
    expect(code).toBe(vector.code);
  });

  it('uses the 6-digit SHA1/30 s defaults', () => {
    expect(totpCode({ secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' }, 59_000)).toBe('287082');
  });

  it('changes exactly at the period boundary', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const before = totpCode({ secret }, 89_999);
    expect(totpCode({ secret }, 60_000)).toBe(before);
    expect(totpCode({ secret }, 90_000)).not.toBe(before);
    expect(totpCounter(30, 89_999)).toBe(2);
    expect(totpCounter(30, 90_000)).toBe(3);
  });

  it('counts whole seconds to the next code, 1 to period', () => {
    expect(totpSecondsRemaining(30, 60_000)).toBe(30);
    expect(totpSecondsRemaining(30, 60_001)).toBe(30);
    expect(totpSecondsRemaining(30, 89_000)).toBe(1);
    expect(totpSecondsRemaining(30, 89_999)).toBe(1);
    expect(totpSecondsRemaining(60, 0)).toBe(60);
  });

  it('honours other periods', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    // With a 60 s step, T=59 is still counter 0, the same as T=0 with 30 s steps.
    expect(totpCode({ secret, period: 60, digits: 8 }, 59_000)).toBe(totpCode({ secret, digits: 8 }, 0));
  });
});

describe('RFC 4226 appendix D (HOTP)', () => {
  it.each(hotpVectors)('counter $counter gives $code', (vector) => {
    expect(hotpCode({ secret: vector.secret_base32 }, vector.counter)).toBe(vector.code);
  });
});

describe('must reject', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it.each([5, 9, 6.5, Number.NaN])('digits %s', (digits) => {
    expect(() => totpCode({ secret, digits }, 0)).toThrow(RangeError);
  });
  it.each([0, -30, 1.5, Number.POSITIVE_INFINITY])('period %s', (period) => {
    expect(() => totpCode({ secret, period }, 0)).toThrow(RangeError);
    expect(() => totpSecondsRemaining(period, 0)).toThrow(RangeError);
  });
  it.each([-1, Number.NaN])('timestamp %s', (timestamp) => {
    expect(() => totpCode({ secret }, timestamp)).toThrow(RangeError);
  });
  it.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 2])('HOTP counter %s', (counter) => {
    expect(() => hotpCode({ secret }, counter)).toThrow(RangeError);
  });
  it('a secret that is not base32', () => {
    expect(() => totpCode({ secret: 'not-base32!' }, 0)).toThrow(/not base32/);
  });
  it('an empty secret', () => {
    expect(() => totpCode({ secret: new Uint8Array() }, 0)).toThrow(RangeError);
  });
});
