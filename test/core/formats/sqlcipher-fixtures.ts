import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import initSqlJs from 'sql.js';

// SQLCipher files written here with node:crypto from the public descriptions, independently of
// src/core/formats/decoders/sqlcipher-database.ts: the SQLite file format (sqlite.org/fileformat2.html:
// header byte 20 is the reserved space at the end of every page) and SQLCipher's design
// (zetetic.net/sqlcipher/design: a 16-byte salt opens the file, the key is PBKDF2 of the password,
// the HMAC key PBKDF2 of the key with the salt XOR 0x3a and 2 rounds, and every page is AES-256-CBC
// of its bytes after the salt with a random IV, then the IV and an HMAC of ciphertext, IV and the
// little-endian page number, in the page's reserved bytes).

export interface CipherSettings {
  readonly pageSize: number;
  readonly iterations: number;
  readonly hash: 'sha1' | 'sha512';
}

/** The defaults of SQLCipher 4 (Stratum / Authenticator Pro) and 3 (Authenticator Plus). */
export const V4: CipherSettings = { pageSize: 4096, iterations: 256_000, hash: 'sha512' };
export const V3: CipherSettings = { pageSize: 1024, iterations: 64_000, hash: 'sha1' };

export function reserveOf(settings: CipherSettings): number {
  return Math.ceil((16 + (settings.hash === 'sha1' ? 20 : 64)) / 16) * 16;
}

/**
 * A plain SQLite file made by sql.js (no reserved bytes) with `reserve` bytes freed at the end of
 * every page, as SQLCipher's plaintext has them: after a VACUUM (which packs every page's cells at
 * its end), each b-tree page's cell content area moves down by `reserve`, its cell pointers and
 * free-block offsets with it.
 */
export async function withReservedBytes(plain: Uint8Array, reserve: number): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const database = new SQL.Database(plain);
  let bytes: Uint8Array;
  try {
    database.run('VACUUM');
    bytes = database.export();
  } finally {
    database.close();
  }
  const view = new DataView(bytes.buffer);
  const pageSize = view.getUint16(16) === 1 ? 65536 : view.getUint16(16);
  if (bytes[20] !== 0 || bytes.length % pageSize !== 0) throw new Error('expected a plain SQLite file');
  for (let page = 0; page * pageSize < bytes.length; page++) {
    const base = page * pageSize;
    const header = base + (page === 0 ? 100 : 0);
    const kind = bytes[header] ?? 0;
    if (![0x02, 0x05, 0x0a, 0x0d].includes(kind)) throw new Error(`page ${String(page + 1)} is not a b-tree page`);
    const cells = view.getUint16(header + 3);
    const content = view.getUint16(header + 5) || 65536;
    const pointers = header + (kind === 0x02 || kind === 0x05 ? 12 : 8);
    if (content - reserve < pointers - base + 2 * cells) throw new Error('page too full to reserve bytes');
    bytes.copyWithin(base + content - reserve, base + content, base + pageSize);
    bytes.fill(0, base + pageSize - reserve, base + pageSize);
    view.setUint16(header + 5, content - reserve);
    for (let cell = 0; cell < cells; cell++) {
      view.setUint16(pointers + 2 * cell, view.getUint16(pointers + 2 * cell) - reserve);
    }
    // Free blocks lie in the moved area: the header's offset of the first and each one's next move too.
    for (let link = header + 1; view.getUint16(link) !== 0;) {
      const next = view.getUint16(link) - reserve;
      view.setUint16(link, next);
      link = base + next;
    }
  }
  bytes[20] = reserve;
  return bytes;
}

/** Encrypts a SQLite file that has the settings' page size and reserved bytes, page by page. */
export function sqlcipherFile(plain: Uint8Array, password: string, settings: CipherSettings): Uint8Array {
  const { pageSize, iterations, hash } = settings;
  const reserve = reserveOf(settings);
  const salt = randomBytes(16);
  const key = pbkdf2Sync(password, salt, iterations, 32, hash);
  const hmacKey = pbkdf2Sync(
    key,
    salt.map((byte) => byte ^ 0x3a),
    2,
    32,
    hash,
  );
  const out = new Uint8Array(plain.length);
  for (let page = 0; page * pageSize < plain.length; page++) {
    const base = page * pageSize;
    const start = page === 0 ? 16 : 0;
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    const body = Buffer.concat([
      cipher.update(plain.subarray(base + start, base + pageSize - reserve)),
      cipher.final(),
    ]);
    const number = Buffer.alloc(4);
    number.writeUInt32LE(page + 1);
    const mac = createHmac(hash, hmacKey).update(body).update(iv).update(number).digest();
    if (page === 0) out.set(salt, 0);
    out.set(body, base + start);
    out.set(iv, base + pageSize - reserve);
    out.set(mac, base + pageSize - reserve + 16);
    out.set(randomBytes(reserve - 16 - mac.length), base + pageSize - reserve + 16 + mac.length);
  }
  return out;
}
