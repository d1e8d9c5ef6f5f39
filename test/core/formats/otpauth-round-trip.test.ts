import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase32 } from '../../../src/core/encoding.js';
import { makeEntry, type Entry } from '../../../src/core/entry/model.js';
import { parseAegis, serializeAegis } from '../../../src/core/formats/aegis-format.js';
import { parseOpen2fa, serializeOpen2fa } from '../../../src/core/formats/open2fa-format.js';
import { formatOtpauthUri, parseOtpauthUri } from '../../../src/core/formats/otpauth-uri.js';
import { parseTwoFas, serializeTwoFas } from '../../../src/core/formats/twofas-format.js';
import type { ImportItem } from '../../../src/core/formats/import-item.js';

const text = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((value) => value.trim() === value && !value.includes(':'));

/** Entries as an import or `add` makes them: named Issuer:account, or by a name alone. */
const entryArbitrary: fc.Arbitrary<Entry> = fc
  .record({
    secret: fc.uint8Array({ minLength: 10, maxLength: 40 }).map((bytes) => encodeBase32(bytes)),
    issuer: fc.option(text, { nil: undefined }),
    account: text,
    type: fc.constantFrom('totp' as const, 'hotp' as const, 'steam' as const),
    algorithm: fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const),
    digits: fc.integer({ min: 6, max: 8 }),
    period: fc.integer({ min: 1, max: 300 }),
    counter: fc.nat({ max: 2 ** 40 }),
    note: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
  })
  .map(({ secret, issuer, account, note, ...parameters }) => {
    const named =
      issuer === undefined || issuer === account
        ? { name: account }
        : { name: `${issuer}:${account}`, issuer, account };
    return makeEntry(secret, named.name, {
      ...parameters,
      ...(named.issuer === undefined ? {} : { issuer: named.issuer, account: named.account }),
      ...(note === undefined ? {} : { note }),
      ...(parameters.type === 'hotp' ? { period: 30 } : { counter: 0 }),
      ...(parameters.type === 'steam' ? { algorithm: 'SHA1' as const, period: 30 } : {}),
    });
  });

function entries(items: readonly ImportItem[] | null): Entry[] {
  return (items ?? []).map((item) => {
    if (!item.ok) throw new Error(`${item.label}: ${item.problem}`);
    return item.entry;
  });
}

describe('every export format reads back to the same entries (fast-check)', () => {
  it('otpauth:// URIs', () => {
    fc.assert(
      fc.property(entryArbitrary, (entry) => {
        const parsed = parseOtpauthUri(formatOtpauthUri(entry));
        expect(parsed).toEqual({ ok: true, entry });
      }),
    );
  });

  it('Aegis JSON', () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 5 }), (list) => {
        expect(entries(parseAegis(JSON.parse(serializeAegis(list)) as Record<string, unknown>))).toEqual(list);
      }),
    );
  });

  it('2FAS backup', () => {
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 5 }), (list) => {
        expect(entries(parseTwoFas(JSON.parse(serializeTwoFas(list, 0)) as Record<string, unknown>))).toEqual(list);
      }),
    );
  });

  it('open2fa JSON, which also keeps renamed entries and secrets as typed', () => {
    const renamed = makeEntry('jbsw y3dp ehpk 3pxp', 'Work', { issuer: 'ACME', account: 'alice', note: 'n' });
    fc.assert(
      fc.property(fc.array(entryArbitrary, { maxLength: 5 }), (list) => {
        const all = [...list, renamed];
        expect(entries(parseOpen2fa(JSON.parse(serializeOpen2fa(all)) as Record<string, unknown>))).toEqual(all);
      }),
    );
  });
});
