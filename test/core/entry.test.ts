import { describe, expect, it } from 'vitest';
import { entryCode, entryProblem, steamCode } from '../../src/core/entry/codes.js';
import { labelParts, makeEntry, nameFromParts, type OtpType } from '../../src/core/entry/model.js';
import { sameCodes } from '../../src/core/entry/compare.js';
import type { OtpAlgorithm } from '../../src/core/otp/otp.js';
import vectors from '../vectors/otp-parameters.json' with { type: 'json' };
import rfc from '../vectors/rfc6238.json' with { type: 'json' };

describe('entry codes honour every parameter (test/vectors/otp-parameters.json)', () => {
  it.each(vectors.totp)('TOTP $algorithm/$digits/$period s at $time → $code', (row) => {
    const entry = makeEntry(row.secret_base32, null, {
      algorithm: row.algorithm as OtpAlgorithm,
      digits: row.digits,
      period: row.period,
    });
    expect(entryCode(entry, row.time * 1000)).toBe(row.code);
  });

  it.each(vectors.hotp)('HOTP $algorithm/$digits at counter $counter → $code', (row) => {
    const entry = makeEntry(row.secret_base32, null, {
      type: 'hotp',
      algorithm: row.algorithm as OtpAlgorithm,
      digits: row.digits,
      counter: row.counter,
    });
    // HOTP ignores the time: the counter alone decides.
    expect(entryCode(entry, 0)).toBe(row.code);
    expect(entryCode(entry, 2_000_000_000_000)).toBe(row.code);
  });

  it.each(rfc.hotp)('RFC 4226 appendix D: counter $counter → $code', (row) => {
    const entry = makeEntry(row.secret_base32, null, { type: 'hotp', counter: row.counter });
    expect(entryCode(entry)).toBe(row.code);
  });

  it.each(vectors.steam)('Steam Guard: $code ($source)', (row) => {
    expect(steamCode(row.secret_base32, row.counter)).toBe(row.code);
    if ('time' in row) {
      expect(entryCode(makeEntry(row.secret_base32, null, { type: 'steam' }), row.time * 1000)).toBe(row.code);
    }
  });

  it.each(vectors.mustReject)('refuses $why', (row) => {
    const entry = makeEntry(row.secret_base32, null, {
      ...('type' in row ? { type: row.type as OtpType } : {}),
      ...('algorithm' in row ? { algorithm: row.algorithm as OtpAlgorithm } : {}),
      ...('digits' in row ? { digits: row.digits } : {}),
      ...('period' in row ? { period: row.period } : {}),
      ...('counter' in row ? { counter: row.counter } : {}),
    });
    expect(entryProblem(entry)).toEqual(expect.any(String));
  });
});

describe('entry helpers', () => {
  it('makes Steam entries 5 characters whatever digits are asked', () => {
    expect(makeEntry('JBSWY3DPEHPK3PXP', 'Steam', { type: 'steam', digits: 8 }).digits).toBe(5);
    expect(entryCode(makeEntry('JBSWY3DPEHPK3PXP', 'Steam', { type: 'steam' }), 59_000)).toMatch(
      /^[23456789BCDFGHJKMNPQRTVWXY]{5}$/,
    );
  });

  it('compares entries by key and parameters, not by spelling, name or counter', () => {
    const base = makeEntry('JBSWY3DPEHPK3PXP', 'a');
    expect(sameCodes(base, makeEntry('jbsw y3dp ehpk 3pxp', 'b'))).toBe(true);
    expect(sameCodes(base, makeEntry('JBSWY3DPEHPK3PXP', 'a', { digits: 8 }))).toBe(false);
    expect(sameCodes(base, makeEntry('JBSWY3DPEHPK3PXP', 'a', { period: 60 }))).toBe(false);
    expect(sameCodes(base, makeEntry('JBSWY3DPEHPK3PXP', 'a', { algorithm: 'SHA256' }))).toBe(false);
    const hotp = makeEntry('JBSWY3DPEHPK3PXP', 'a', { type: 'hotp', counter: 1 });
    expect(sameCodes(hotp, { ...hotp, counter: 9 })).toBe(true);
    expect(sameCodes(base, hotp)).toBe(false);
  });

  it('names entries Issuer:account and exports them so the name comes back', () => {
    expect(nameFromParts('ACME', 'alice')).toBe('ACME:alice');
    expect(nameFromParts('ACME', 'ACME')).toBe('ACME');
    expect(nameFromParts('', 'alice')).toBe('alice');
    expect(nameFromParts(' ', '')).toBeNull();
    expect(labelParts(makeEntry('JBSWY3DPEHPK3PXP', 'GitHub'))).toEqual({ issuer: '', account: 'GitHub' });
    expect(labelParts(makeEntry('JBSWY3DPEHPK3PXP', 'A:b', { issuer: 'A', account: 'b' }))).toEqual({
      issuer: 'A',
      account: 'b',
    });
  });
});
