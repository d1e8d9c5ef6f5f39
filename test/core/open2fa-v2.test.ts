import { createDecipheriv, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../vectors/open2fa-v2.json' with { type: 'json' };
import { decodeBase64Url, decodeHex, encodeHex } from '../../src/core/encoding.js';
import {
  deriveV1Credentials,
  deriveV2KeyBytes,
  deriveV2Keys,
  ENVELOPE_PREFIX,
  isOpen2faError,
  makeEntry,
  openEnvelope,
  OTP_TYPES,
  PADDING_BLOCK,
  randomItemId,
  sealEnvelope,
  type Entry,
} from '../../src/core/index.js';
import { entryContent, openPayload, pad, sealPayload, sealTombstone, unpad } from '../../src/core/v2/cipher.js';

describe('v2 keys (docs/protocol.md §1)', () => {
  it.each(vectors.cases)('derives the vector keys for $id', async (vector) => {
    const { key } = await deriveV1Credentials(vector.uuid);
    const bytes = await deriveV2KeyBytes(key);
    expect(encodeHex(bytes.envelopeKey)).toBe(vector.envelope_key_hex);
    expect((await deriveV2Keys(key)).authToken).toBe(vector.auth_token);
  });

  it('matches an independent HKDF (node:crypto)', async () => {
    const { key } = await deriveV1Credentials(vectors.cases[0]?.uuid ?? '');
    const expected = Buffer.from(hkdfSync('sha256', key, 'open2fa/v2', 'open2fa/v2 envelope key', 32));
    expect(encodeHex((await deriveV2KeyBytes(key)).envelopeKey)).toBe(expected.toString('hex'));
    const token = Buffer.from(hkdfSync('sha256', key, 'open2fa/v2', 'open2fa/v2 auth token', 32));
    expect((await deriveV2Keys(key)).authToken).toBe(token.toString('base64url'));
  });

  it('refuses a key of the wrong length', async () => {
    await expect(deriveV2KeyBytes(new Uint8Array(15))).rejects.toThrow(TypeError);
  });
});

describe('v2 envelopes (docs/protocol.md §2)', () => {
  const cases = vectors.cases.flatMap((vector) => vector.envelopes.map((envelope) => ({ ...envelope, vector })));

  it.each(cases)(
    'seals and opens $item_id as in the vectors',
    async ({ vector, item_id, nonce_hex, entry, envelope }) => {
      const { key } = await deriveV1Credentials(vector.uuid);
      const keys = await deriveV2Keys(key);
      const binding = { userId: vector.id, itemId: item_id };
      // Revision 1 payloads (no revision inside) are still read, byte for byte as earlier versions wrote them.
      expect(await sealPayload(keys.envelopeKey, binding, entryContent(entry as Entry), decodeHex(nonce_hex))).toBe(
        envelope,
      );
      expect(await openEnvelope(keys.envelopeKey, binding, envelope)).toEqual(entry);
      expect(await openPayload(keys.envelopeKey, binding, envelope)).toEqual({ kind: 'entry', entry, rev: null });
    },
  );

  it.each(cases)(
    'seals $item_id for its revision and seals its deletion (protocol revision 2)',
    async ({ vector, item_id, entry, rev, nonce_r2_hex, envelope_r2, nonce_tombstone_hex, tombstone }) => {
      const { key } = await deriveV1Credentials(vector.uuid);
      const keys = await deriveV2Keys(key);
      const binding = { userId: vector.id, itemId: item_id };
      expect(await sealEnvelope(keys.envelopeKey, binding, entry as Entry, rev, decodeHex(nonce_r2_hex))).toBe(
        envelope_r2,
      );
      expect(await openPayload(keys.envelopeKey, binding, envelope_r2)).toEqual({ kind: 'entry', entry, rev });
      expect(await sealTombstone(keys.envelopeKey, binding, rev + 1, decodeHex(nonce_tombstone_hex))).toBe(tombstone);
      expect(await openPayload(keys.envelopeKey, binding, tombstone)).toEqual({ kind: 'tombstone', rev: rev + 1 });
      // A tombstone is not an entry: openEnvelope refuses it.
      await expect(openEnvelope(keys.envelopeKey, binding, tombstone)).rejects.toMatchObject({
        code: 'integrity_failed',
      });
    },
  );

  it('refuses a revision that is not a whole number from 1', async () => {
    const keys = await deriveV2Keys(new Uint8Array(16));
    const binding = { userId: 'u', itemId: 'i' };
    for (const rev of [0, -1, 1.5, Number.NaN]) {
      expect(() => sealEnvelope(keys.envelopeKey, binding, makeEntry('JBSWY3DPEHPK3PXP', 'x'), rev)).toThrow(
        RangeError,
      );
      expect(() => sealTombstone(keys.envelopeKey, binding, rev)).toThrow(RangeError);
    }
  });

  it('decrypts with an independent AES-256-GCM (node:crypto) to a padded JSON payload', () => {
    const vector = vectors.cases[0];
    const sample = vector?.envelopes[0];
    if (vector === undefined || sample === undefined) throw new Error('no vectors');
    const bytes = decodeBase64Url(sample.envelope.slice(ENVELOPE_PREFIX.length));
    const decipher = createDecipheriv('aes-256-gcm', decodeHex(vector.envelope_key_hex), bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(`open2fa/v2 item|${vector.id}|${sample.item_id}`));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
    expect(plain.length % PADDING_BLOCK).toBe(0);
    const text = plain.subarray(0, plain.lastIndexOf(0x80)).toString('utf8');
    expect(JSON.parse(text)).toEqual({ v: 1, ...sample.entry });
  });

  const entryArbitrary = fc
    .record({
      secret: fc.constantFrom('JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'I65VU7K5ZQL7WB4E'),
      name: fc.option(fc.string({ maxLength: 255, unit: 'grapheme' }), { nil: null }),
      issuer: fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
      account: fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
      note: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
      type: fc.constantFrom(...OTP_TYPES),
      algorithm: fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const),
      digits: fc.integer({ min: 6, max: 8 }),
      period: fc.integer({ min: 1, max: 300 }),
      counter: fc.nat(),
    })
    .map(({ secret, name, ...parts }) =>
      makeEntry(secret, name, Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== undefined))),
    );

  it('round-trips random entries, padded to 64-byte blocks (property)', async () => {
    const keys = await deriveV2Keys(new Uint8Array(16).fill(7));
    await fc.assert(
      fc.asyncProperty(entryArbitrary, async (entry) => {
        const binding = { userId: 'user', itemId: randomItemId() };
        const envelope = await sealEnvelope(keys.envelopeKey, binding, entry, 1);
        expect(await openEnvelope(keys.envelopeKey, binding, envelope)).toEqual(entry);
        const sealedBytes = decodeBase64Url(envelope.slice(ENVELOPE_PREFIX.length)).length - 12 - 16;
        expect(sealedBytes % PADDING_BLOCK).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('fails integrity for any flipped bit (property)', async () => {
    const keys = await deriveV2Keys(new Uint8Array(16).fill(9));
    const binding = { userId: 'user', itemId: 'item' };
    const envelope = await sealEnvelope(keys.envelopeKey, binding, makeEntry('JBSWY3DPEHPK3PXP', 'x'), 1);
    const bytes = decodeBase64Url(envelope.slice(ENVELOPE_PREFIX.length));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length * 8 - 1 }), async (bit) => {
        const flipped = Uint8Array.from(bytes);
        flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        const tampered = ENVELOPE_PREFIX + Buffer.from(flipped).toString('base64url');
        const error: unknown = await openEnvelope(keys.envelopeKey, binding, tampered).catch(
          (caught: unknown) => caught,
        );
        expect(isOpen2faError(error, 'integrity_failed')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('fails integrity when moved to another item or user, or opened with another key', async () => {
    const keys = await deriveV2Keys(new Uint8Array(16).fill(1));
    const other = await deriveV2Keys(new Uint8Array(16).fill(2));
    const binding = { userId: 'alice', itemId: 'item-1' };
    const envelope = await sealEnvelope(keys.envelopeKey, binding, makeEntry('JBSWY3DPEHPK3PXP', 'x'), 1);
    for (const [key, moved] of [
      [keys.envelopeKey, { userId: 'alice', itemId: 'item-2' }],
      [keys.envelopeKey, { userId: 'bob', itemId: 'item-1' }],
      [other.envelopeKey, binding],
    ] as const) {
      await expect(openEnvelope(key, moved, envelope)).rejects.toMatchObject({ code: 'integrity_failed' });
    }
  });

  it('gives two envelopes of the same entry nothing in common', async () => {
    const keys = await deriveV2Keys(new Uint8Array(16).fill(3));
    const entry = makeEntry('JBSWY3DPEHPK3PXP', 'same');
    const binding = { userId: 'u', itemId: 'i' };
    const first = await sealEnvelope(keys.envelopeKey, binding, entry, 1);
    const second = await sealEnvelope(keys.envelopeKey, binding, entry, 1);
    expect(first).not.toBe(second);
    expect(first.length).toBe(second.length);
  });

  it.each(['', 'o2fa1.abc', 'o2fa2.', 'o2fa2.!!!!', `o2fa2.${'A'.repeat(40)}`])(
    'rejects %j as not an envelope',
    async (text) => {
      const keys = await deriveV2Keys(new Uint8Array(16));
      await expect(openEnvelope(keys.envelopeKey, { userId: 'u', itemId: 'i' }, text)).rejects.toMatchObject({
        code: 'invalid_envelope',
      });
    },
  );

  it('pads with 0x80 then zeros and unpads exactly', () => {
    for (const length of [0, 1, 62, 63, 64, 65, 127, 128]) {
      const data = new Uint8Array(length).fill(0x41);
      const padded = pad(data);
      expect(padded.length % PADDING_BLOCK).toBe(0);
      expect(padded.length).toBeGreaterThan(length);
      expect(unpad(padded)).toEqual(data);
    }
    expect(unpad(new Uint8Array(64))).toBeNull();
    expect(unpad(new Uint8Array(63).fill(0x80))).toBeNull();
  });
});
