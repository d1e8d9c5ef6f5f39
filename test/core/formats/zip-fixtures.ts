// A ZIP writer for fixtures, from APPNOTE.TXT (local headers, central directory, end record;
// traditional PKWARE encryption, §6.1) and WinZip's AE-1/AE-2 description (PBKDF2-HMAC-SHA1 1000
// iterations, AES-CTR with a little-endian counter from 1, HMAC-SHA1-80). Node's own zlib, crypto
// and crc32 do the work, so the fixtures do not share code with the reader under test.

import { createCipheriv, createHmac, pbkdf2Sync } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipMemberSpec {
  readonly name: string;
  readonly content: Uint8Array | string;
  readonly password?: string;
  readonly encryption?: 'zipcrypto' | 'aes-128' | 'aes-192' | 'aes-256' | undefined;
  /** AE-1 keeps the CRC; AE-2 (the default, as most tools write) stores 0. */
  readonly aesVersion?: 1 | 2;
  readonly store?: boolean;
}

const STRENGTH = { 'aes-128': 1, 'aes-192': 2, 'aes-256': 3 } as const;
const KEY_BYTES = { 1: 16, 2: 24, 3: 32 } as const;

export function zipFile(members: readonly ZipMemberSpec[]): Uint8Array {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [index, member] of members.entries()) {
    const content = Buffer.from(
      typeof member.content === 'string' ? new TextEncoder().encode(member.content) : member.content,
    );
    const crc = crc32(content);
    const method = member.store === true ? 0 : 8;
    const packed = method === 0 ? content : deflateRawSync(content);
    const name = Buffer.from(member.name, 'utf8');
    let data: Buffer = packed;
    let extra: Buffer = Buffer.alloc(0);
    let storedMethod = method;
    let storedCrc = crc;
    let flags = 0x800;
    if (member.encryption !== undefined) {
      const password = Buffer.from(member.password ?? '', 'utf8');
      flags |= 1;
      if (member.encryption === 'zipcrypto') {
        data = zipCrypto(packed, password, crc >>> 24, index);
      } else {
        const strength = STRENGTH[member.encryption];
        const version = member.aesVersion ?? 2;
        data = winZipAes(packed, password, strength, index);
        extra = Buffer.alloc(11);
        extra.writeUInt16LE(0x9901, 0);
        extra.writeUInt16LE(7, 2);
        extra.writeUInt16LE(version, 4);
        extra.write('AE', 6, 'latin1');
        extra.writeUInt8(strength, 8);
        extra.writeUInt16LE(method, 9);
        storedMethod = 99;
        if (version === 2) storedCrc = 0;
      }
    }
    const shared = sharedFields({
      version: storedMethod === 99 ? 51 : 20,
      flags,
      method: storedMethod,
      crc: storedCrc,
      packedSize: data.length,
      size: content.length,
      nameLength: name.length,
      extraLength: extra.length,
    });
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    shared.copy(header, 4);
    local.push(header, name, extra, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(0x031e, 4);
    shared.copy(entry, 6);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name, extra);
    offset += header.length + name.length + extra.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...local, directory, end]));
}

/**
 * The 26 bytes that a local file header (from its byte 4) and the member's central directory entry
 * (from its byte 6) share, in the same order (APPNOTE §4.3.7 and §4.3.12): version needed, flags,
 * method, time and date (a fixed 2024-01-01 12:00), CRC-32, sizes, name and extra field lengths.
 */
function sharedFields(fields: {
  readonly version: number;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly packedSize: number;
  readonly size: number;
  readonly nameLength: number;
  readonly extraLength: number;
}): Buffer {
  const bytes = Buffer.alloc(26);
  bytes.writeUInt16LE(fields.version, 0);
  bytes.writeUInt16LE(fields.flags, 2);
  bytes.writeUInt16LE(fields.method, 4);
  bytes.writeUInt16LE(0x6000, 6);
  bytes.writeUInt16LE(0x5821, 8);
  bytes.writeUInt32LE(fields.crc, 10);
  bytes.writeUInt32LE(fields.packedSize, 14);
  bytes.writeUInt32LE(fields.size, 18);
  bytes.writeUInt16LE(fields.nameLength, 22);
  bytes.writeUInt16LE(fields.extraLength, 24);
  return bytes;
}

function crcByte(crc: number, byte: number): number {
  // One byte of CRC-32 through Node's crc32: crc32 of a single byte continuing from `crc`.
  return (crc32(Buffer.from([byte]), (crc ^ 0xffffffff) >>> 0) ^ 0xffffffff) >>> 0;
}

function zipCrypto(data: Buffer, password: Buffer, check: number, seed: number): Buffer {
  let key0 = 0x12345678;
  let key1 = 0x23456789;
  let key2 = 0x34567890;
  const update = (byte: number): void => {
    key0 = crcByte(key0, byte);
    key1 = Number(((BigInt(key1) + BigInt(key0 & 0xff)) * 134775813n + 1n) % 2n ** 32n);
    key2 = crcByte(key2, key1 >>> 24);
  };
  for (const byte of password) update(byte);
  const plain = Buffer.concat([
    Buffer.from(Array.from({ length: 11 }, (_, index) => (index * 31 + seed) & 0xff)),
    Buffer.from([check]),
    data,
  ]);
  const out = Buffer.alloc(plain.length);
  for (const [index, byte] of plain.entries()) {
    const temp = (key2 | 2) & 0xffff;
    out[index] = byte ^ (Number((BigInt(temp) * BigInt(temp ^ 1)) >> 8n) & 0xff);
    update(byte);
  }
  return out;
}

function winZipAes(data: Buffer, password: Buffer, strength: 1 | 2 | 3, seed: number): Buffer {
  const keyBytes = KEY_BYTES[strength];
  const salt = Buffer.from(Array.from({ length: keyBytes / 2 }, (_, index) => (index * 13 + seed + 5) & 0xff));
  const derived = pbkdf2Sync(password, salt, 1000, keyBytes * 2 + 2, 'sha1');
  const counters = Buffer.alloc(Math.ceil(data.length / 16) * 16);
  for (let block = 0; block < counters.length / 16; block++) counters.writeUInt32LE(block + 1, block * 16);
  const ecb = createCipheriv(`aes-${String(keyBytes * 8)}-ecb`, derived.subarray(0, keyBytes), null).setAutoPadding(
    false,
  );
  const stream = Buffer.concat([ecb.update(counters), ecb.final()]);
  const ciphertext = Buffer.from(data.map((byte, index) => byte ^ (stream[index] ?? 0)));
  const mac = createHmac('sha1', derived.subarray(keyBytes, keyBytes * 2))
    .update(ciphertext)
    .digest()
    .subarray(0, 10);
  return Buffer.concat([salt, derived.subarray(keyBytes * 2), ciphertext, mac]);
}
