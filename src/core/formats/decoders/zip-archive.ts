/**
 * A ZIP reader for exports that come as password-protected archives: the central directory
 * (APPNOTE.TXT §4.3.12–16), stored and deflated members (fflate inflates, imported lazily), and
 * both kinds of encryption apps write: traditional PKWARE encryption ("ZipCrypto", APPNOTE §6.1)
 * and WinZip AES (AE-1/AE-2: PBKDF2-HMAC-SHA1 1000 iterations, AES-CTR with a little-endian
 * counter, HMAC-SHA1-80 over the ciphertext). Every size is checked against the file: a damaged
 * archive gives `damaged`, never an exception.
 *
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 * @see https://www.winzip.com/en/support/aes-encryption/
 */

export interface ZipMember {
  readonly name: string;
  readonly encrypted: boolean;
}

export type ZipRead =
  | { readonly kind: 'ok'; readonly bytes: Uint8Array }
  | { readonly kind: 'password-needed' }
  | { readonly kind: 'wrong-password' }
  | { readonly kind: 'damaged'; readonly reason: string };

interface Entry extends ZipMember {
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
  readonly modTime: number;
  readonly aes: { readonly strength: number; readonly method: number; readonly version: number } | null;
}

/** Members larger than this are refused: an authenticator export is kilobytes. */
const MAX_MEMBER_BYTES = 64 * 1024 * 1024;
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const AES_METHOD = 99;
const AES_EXTRA = 0x9901;

/** Whether the bytes start as a ZIP archive does (a local file header, or an empty archive's end record). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 22 && bytes[0] === 0x50 && bytes[1] === 0x4b && [3, 5].includes(bytes[2] ?? 0);
}

export class ZipArchive {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly entries: readonly Entry[],
  ) {}

  /** The archive's central directory, or `null` when the bytes are not a readable ZIP. */
  static open(bytes: Uint8Array): ZipArchive | null {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let end = -1;
    for (let offset = bytes.length - 22; offset >= Math.max(0, bytes.length - 22 - 0xffff); offset--) {
      if (view.getUint32(offset, true) === EOCD) {
        end = offset;
        break;
      }
    }
    if (end < 0) return null;
    const count = view.getUint16(end + 10, true);
    let offset = view.getUint32(end + 16, true);
    const entries: Entry[] = [];
    for (let index = 0; index < count; index++) {
      if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL) return null;
      const nameLength = view.getUint16(offset + 28, true);
      const extraLength = view.getUint16(offset + 30, true);
      const commentLength = view.getUint16(offset + 32, true);
      if (offset + 46 + nameLength + extraLength > bytes.length) return null;
      const flags = view.getUint16(offset + 8, true);
      const nameBytes = bytes.subarray(offset + 46, offset + 46 + nameLength);
      // Bit 11: the name is UTF-8; otherwise CP437, of which ASCII names are the common part.
      const name = new TextDecoder((flags & 0x800) !== 0 ? 'utf-8' : 'latin1').decode(nameBytes);
      const extra = bytes.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength);
      entries.push({
        name,
        flags,
        encrypted: (flags & 1) !== 0,
        method: view.getUint16(offset + 10, true),
        modTime: view.getUint16(offset + 12, true),
        crc: view.getUint32(offset + 16, true),
        compressedSize: view.getUint32(offset + 20, true),
        size: view.getUint32(offset + 24, true),
        localOffset: view.getUint32(offset + 42, true),
        aes: aesExtra(extra),
      });
      offset += 46 + nameLength + extraLength + commentLength;
    }
    return new ZipArchive(bytes, entries);
  }

  get members(): readonly ZipMember[] {
    return this.entries.map(({ name, encrypted }) => ({ name, encrypted }));
  }

  /** One member's content, decrypted with the password when it is encrypted. */
  async read(name: string, password?: string): Promise<ZipRead> {
    const entry = this.entries.find((candidate) => candidate.name === name);
    if (entry === undefined) return { kind: 'damaged', reason: `no ${name} in the archive` };
    if (entry.size > MAX_MEMBER_BYTES || entry.compressedSize > MAX_MEMBER_BYTES) {
      return { kind: 'damaged', reason: `${name} is too large` };
    }
    const data = this.localData(entry);
    if (data === null) return { kind: 'damaged', reason: `${name} lies outside the file` };
    let compressed: Uint8Array = data;
    let method = entry.method;
    let checkCrc = true;
    if (entry.encrypted) {
      if (password === undefined) return { kind: 'password-needed' };
      const passwordBytes = new TextEncoder().encode(password);
      if (entry.aes !== null) {
        const plain = await aesDecrypt(data, passwordBytes, entry.aes.strength);
        if (plain === 'wrong-password' || plain === 'damaged') {
          return plain === 'damaged'
            ? { kind: 'damaged', reason: `${name} fails its authentication code (damaged, or a wrong password)` }
            : { kind: plain };
        }
        compressed = plain;
        method = entry.aes.method;
        // AE-2 stores no CRC (the authentication code covers the data); AE-1 keeps it.
        checkCrc = entry.aes.version === 1;
      } else {
        // With a data descriptor (bit 3) the check byte is the high byte of the time, not of the CRC.
        const check = (entry.flags & 8) !== 0 ? (entry.modTime >>> 8) & 0xff : entry.crc >>> 24;
        const plain = zipCryptoDecrypt(data, passwordBytes, check);
        if (plain === null) return { kind: 'wrong-password' };
        compressed = plain;
      }
    } else if (entry.method === AES_METHOD) {
      return { kind: 'damaged', reason: `${name} is marked AES but not encrypted` };
    }
    const content = await decompress(compressed, method, entry.size);
    if (content === null) {
      // ZipCrypto's check byte lets one wrong password in 256 through: it then fails here.
      return entry.encrypted && entry.aes === null
        ? { kind: 'wrong-password' }
        : { kind: 'damaged', reason: `${name} does not decompress` };
    }
    if (checkCrc && crc32(content) !== entry.crc) {
      return entry.encrypted && entry.aes === null
        ? { kind: 'wrong-password' }
        : { kind: 'damaged', reason: `${name} fails its CRC` };
    }
    return { kind: 'ok', bytes: content };
  }

  private localData(entry: Entry): Uint8Array | null {
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const at = entry.localOffset;
    if (at + 30 > this.bytes.length || view.getUint32(at, true) !== LOCAL) return null;
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    return end > this.bytes.length ? null : this.bytes.subarray(start, end);
  }
}

/** The AES extra field (header 0x9901): vendor version, "AE", strength 1–3, the real method. */
function aesExtra(extra: Uint8Array): Entry['aes'] {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let offset = 0; offset + 4 <= extra.length;) {
    const id = view.getUint16(offset, true);
    const size = view.getUint16(offset + 2, true);
    if (id === AES_EXTRA && size >= 7 && offset + 4 + 7 <= extra.length) {
      return {
        version: view.getUint16(offset + 4, true),
        strength: view.getUint8(offset + 8),
        method: view.getUint16(offset + 9, true),
      };
    }
    offset += 4 + size;
  }
  return null;
}

async function decompress(data: Uint8Array, method: number, size: number): Promise<Uint8Array | null> {
  if (method === 0) return data.length === size ? data : null;
  if (method !== 8) return null;
  const { inflateSync } = await import('fflate');
  try {
    const out = inflateSync(data, { out: new Uint8Array(size) });
    return out.length === size ? out : null;
  } catch {
    return null;
  }
}

const SALT_BYTES: Readonly<Record<number, number>> = { 1: 8, 2: 12, 3: 16 };
const AUTH_CODE_BYTES = 10;

/** WinZip AES: salt, 2-byte password verifier, AES-CTR data, 10-byte HMAC-SHA1 of the data. */
async function aesDecrypt(
  data: Uint8Array,
  password: Uint8Array,
  strength: number,
): Promise<Uint8Array | 'wrong-password' | 'damaged'> {
  const saltBytes = SALT_BYTES[strength];
  if (saltBytes === undefined || data.length < saltBytes + 2 + AUTH_CODE_BYTES) return 'damaged';
  const keyBytes = saltBytes * 2;
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', new Uint8Array(password), 'PBKDF2', false, ['deriveBits']);
  const derived = new Uint8Array(
    await subtle.deriveBits(
      { name: 'PBKDF2', salt: new Uint8Array(data.subarray(0, saltBytes)), iterations: 1000, hash: 'SHA-1' },
      base,
      (keyBytes * 2 + 2) * 8,
    ),
  );
  const verifier = data.subarray(saltBytes, saltBytes + 2);
  if (derived[keyBytes * 2] !== verifier[0] || derived[keyBytes * 2 + 1] !== verifier[1]) return 'wrong-password';
  const ciphertext = data.subarray(saltBytes + 2, data.length - AUTH_CODE_BYTES);
  const macKey = await subtle.importKey(
    'raw',
    derived.slice(keyBytes, keyBytes * 2),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await subtle.sign('HMAC', macKey, new Uint8Array(ciphertext)));
  const code = data.subarray(data.length - AUTH_CODE_BYTES);
  // The password passed the verifier, so a failing code means damaged data (or, once in 65 536,
  // a wrong password the verifier let through: the message says both).
  if (!code.every((byte, index) => byte === mac[index])) return 'damaged';
  return aesCtrLittleEndian(derived.slice(0, keyBytes), ciphertext);
}

/** AES-CTR as WinZip uses it: the counter is a little-endian integer from 1 (WebCrypto's is big-endian). */
async function aesCtrLittleEndian(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const { ecb } = await import('@noble/ciphers/aes.js');
  const blocks = Math.ceil(data.length / 16);
  const counters = new Uint8Array(blocks * 16);
  for (let block = 0; block < blocks; block++) {
    let value = block + 1;
    for (let index = 0; index < 8 && value > 0; index++) {
      counters[block * 16 + index] = value & 0xff;
      value = Math.floor(value / 256);
    }
  }
  const stream = ecb(key, { disablePadding: true }).encrypt(counters);
  return data.map((byte, index) => byte ^ (stream[index] ?? 0));
}

/**
 * Traditional PKWARE decryption (APPNOTE §6.1.5–6): three keys stirred by the password, a 12-byte
 * header whose last byte must match the check byte. `null` when it does not (a wrong password).
 */
function zipCryptoDecrypt(data: Uint8Array, password: Uint8Array, check: number): Uint8Array | null {
  if (data.length < 12) return null;
  let key0 = 0x12345678;
  let key1 = 0x23456789;
  let key2 = 0x34567890;
  const update = (byte: number): void => {
    key0 = crcByte(key0, byte);
    key1 = (Math.imul((key1 + (key0 & 0xff)) >>> 0, 134775813) + 1) >>> 0;
    key2 = crcByte(key2, key1 >>> 24);
  };
  for (const byte of password) update(byte);
  const out = new Uint8Array(data.length);
  for (let index = 0; index < data.length; index++) {
    const temp = (key2 | 2) & 0xffff;
    const plain = (data[index] ?? 0) ^ ((Math.imul(temp, temp ^ 1) >>> 8) & 0xff);
    out[index] = plain;
    update(plain);
  }
  return out[11] === check ? out.subarray(12) : null;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, index) => {
  let value = index;
  for (let bit = 0; bit < 8; bit++) value = (value & 1) !== 0 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value;
});

function crcByte(crc: number, byte: number): number {
  return ((CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)) >>> 0;
}

/** CRC-32 (ISO-HDLC), as ZIP stores it. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcByte(crc, byte);
  return (crc ^ 0xffffffff) >>> 0;
}
