import { describe, expect, it } from 'vitest';
import { makeEntry, type Entry } from '../../../src/core/entry/model.js';
import { serializeMigrationUris } from '../../../src/core/formats/google-migration.js';
import { googleMigrationFormat } from '../../../src/core/formats/otpauth-lines-format.js';
import { base32Bytes, migrationUri, SECRET_A, SECRET_B, SECRET_C } from './format-fixtures.js';
import { importFile, itemsOf, okEntries } from './format-test-helpers.js';

// Google Authenticator's MigrationPayload (the protobuf of its transfer QR codes): the fixture
// encoder in format-fixtures.ts writes it by hand, independently of the serialiser under test.

function numbered(count: number): Entry[] {
  return Array.from({ length: count }, (_, index) =>
    makeEntry(SECRET_A, `Site ${String(index)}:user${String(index)}`, {
      issuer: `Site ${String(index)}`,
      account: `user${String(index)}`,
    }),
  );
}

/** The protobuf fields of a transfer URI's payload: field number → varint values. */
function batchFields(uri: string): Map<number, number> {
  const data = Buffer.from(decodeURIComponent(uri.slice(uri.indexOf('data=') + 5)), 'base64');
  const fields = new Map<number, number>();
  let offset = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 1;
    for (;;) {
      const byte = data[offset++] ?? 0;
      value += (byte & 0x7f) * shift;
      shift *= 128;
      if ((byte & 0x80) === 0) return value;
    }
  };
  while (offset < data.length) {
    const key = varint();
    if (key % 8 === 2) {
      const length = varint();
      offset += length;
    } else fields.set(Math.floor(key / 8), varint());
  }
  return fields;
}

describe('Google Authenticator transfer export', () => {
  it('writes batches of up to 10 that read back with every parameter', async () => {
    const entries = [
      ...numbered(19),
      makeEntry(SECRET_B, 'Bank:bob', { issuer: 'Bank', account: 'bob', algorithm: 'SHA512', digits: 8 }),
      makeEntry(SECRET_C, 'Counter', { issuer: 'Counter', type: 'hotp', counter: 42, algorithm: 'SHA256' }),
    ];
    const { uris, refused } = serializeMigrationUris(entries, 77);
    expect(refused).toEqual([]);
    expect(uris).toHaveLength(3);
    expect(uris.map(batchFields).map((fields) => [fields.get(3), fields.get(4), fields.get(5)])).toEqual([
      [3, 0, 77],
      [3, 1, 77],
      [3, 2, 77],
    ]);
    const outcome = await importFile(googleMigrationFormat, uris.join('\n'));
    expect(outcome).toMatchObject({ warnings: [] });
    expect(okEntries(itemsOf(outcome, 'google-migration'))).toEqual(entries);
  });

  it('writes the same payload as the protobuf described by hand', () => {
    const entry = makeEntry(SECRET_A, 'GitHub:alice', { issuer: 'GitHub', account: 'alice' });
    expect(serializeMigrationUris([entry], 7).uris).toEqual([
      migrationUri([{ secret: base32Bytes(SECRET_A), name: 'alice', issuer: 'GitHub' }]),
    ]);
  });

  it('refuses what the format cannot hold, with the reason, and writes the rest', () => {
    const steam = makeEntry(SECRET_A, 'Steam:x', { type: 'steam', issuer: 'Steam', account: 'x' });
    const slow = makeEntry(SECRET_B, 'slow', { period: 60 });
    const seven = makeEntry(SECRET_C, 'seven', { digits: 7 });
    const { uris, refused } = serializeMigrationUris([steam, slow, seven, ...numbered(1)], 1);
    expect(refused.map(({ entry, reason }) => [entry.name, reason])).toEqual([
      ['Steam:x', 'Google Authenticator has no Steam codes'],
      ['slow', 'Google Authenticator transfers have no period other than 30 s'],
      ['seven', 'Google Authenticator shows 6 or 8 digits only'],
    ]);
    expect(uris).toHaveLength(1);
  });

  it('writes nothing for no entries', () => {
    expect(serializeMigrationUris([], 1)).toEqual({ uris: [], refused: [] });
  });
});
