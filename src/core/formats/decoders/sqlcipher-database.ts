import { concatBytes, equalBytes, owned, pbkdf2, type Bytes } from '../format-crypto.js';

/**
 * The settings of one SQLCipher major version's defaults, which is what apps that do not change them
 * write. @see https://www.zetetic.net/sqlcipher/design/ and the `PRAGMA cipher_compatibility` table.
 */
export interface SqlcipherSettings {
  readonly name: string;
  readonly pageSize: number;
  readonly kdfIterations: number;
  /** PBKDF2's HMAC and the page HMAC use the same hash in the defaults of versions 3 and 4. */
  readonly hash: 'SHA-1' | 'SHA-512';
}

/** SQLCipher 4: 4096-byte pages, PBKDF2-HMAC-SHA512 with 256 000 iterations, HMAC-SHA512. */
export const SQLCIPHER_4: SqlcipherSettings = {
  name: 'SQLCipher 4',
  pageSize: 4096,
  kdfIterations: 256_000,
  hash: 'SHA-512',
};
/** SQLCipher 3: 1024-byte pages, PBKDF2-HMAC-SHA1 with 64 000 iterations, HMAC-SHA1. */
export const SQLCIPHER_3: SqlcipherSettings = {
  name: 'SQLCipher 3',
  pageSize: 1024,
  kdfIterations: 64_000,
  hash: 'SHA-1',
};

export type SqlcipherResult =
  /** The plain SQLite image (reserved bytes zeroed), ready for sql.js. */
  | { readonly kind: 'ok'; readonly bytes: Bytes; readonly settings: SqlcipherSettings }
  /** No settings' page 1 authenticates under this password. Nothing was decrypted. */
  | { readonly kind: 'wrong-password' }
  | { readonly kind: 'damaged'; readonly reason: string };

const SALT_BYTES = 16;
const IV_BYTES = 16;
const KEY_BYTES = 32;
const HMAC_SALT_MASK = 0x3a;
const HMAC_KDF_ITERATIONS = 2;
const SQLITE_HEADER = 'SQLite format 3\0';

/** The bytes at the end of each page: IV and HMAC, rounded up to whole AES blocks. */
function reserveOf(settings: SqlcipherSettings): number {
  const hmacBytes = settings.hash === 'SHA-1' ? 20 : 64;
  return Math.ceil((IV_BYTES + hmacBytes) / 16) * 16;
}

/**
 * Decrypts a SQLCipher database with a password, trying each version's default settings in turn
 * (the first 16 bytes are PBKDF2's salt; each page is AES-256-CBC with its IV, then its HMAC over
 * ciphertext, IV and the page number, in the reserved bytes at its end). The HMAC of page 1 tells
 * the right password and settings before anything is decrypted; every page's HMAC is checked
 * before that page is. The AES cipher (`@noble/ciphers`) is loaded only once a password is right.
 */
export async function decryptSqlcipher(
  bytes: Uint8Array,
  password: string,
  candidates: readonly SqlcipherSettings[] = [SQLCIPHER_4, SQLCIPHER_3],
): Promise<SqlcipherResult> {
  let sized = false;
  for (const settings of candidates) {
    if (bytes.length === 0 || bytes.length % settings.pageSize !== 0) continue;
    sized = true;
    const keys = await pageKeys(bytes, password, settings);
    if (!(await pageAuthentic(bytes, 1, settings, keys.hmac))) continue;
    return decryptPages(bytes, settings, keys);
  }
  return sized
    ? { kind: 'wrong-password' }
    : { kind: 'damaged', reason: 'its size is not a whole number of SQLCipher pages' };
}

interface PageKeys {
  readonly cipher: Bytes;
  readonly hmac: CryptoKey;
}

async function pageKeys(bytes: Uint8Array, password: string, settings: SqlcipherSettings): Promise<PageKeys> {
  const salt = bytes.subarray(0, SALT_BYTES);
  const cipher = await pbkdf2(settings.hash, password, salt, settings.kdfIterations, KEY_BYTES);
  const hmacSalt = salt.map((byte) => byte ^ HMAC_SALT_MASK);
  const hmacBits = await pbkdf2(settings.hash, cipher, hmacSalt, HMAC_KDF_ITERATIONS, KEY_BYTES);
  const hmac = await globalThis.crypto.subtle.importKey('raw', hmacBits, { name: 'HMAC', hash: settings.hash }, false, [
    'sign',
  ]);
  return { cipher, hmac };
}

/** Page `number` (1-based) of the file, and where its ciphertext starts (after the salt on page 1). */
function pageOf(bytes: Uint8Array, number: number, settings: SqlcipherSettings): { page: Uint8Array; start: number } {
  const offset = (number - 1) * settings.pageSize;
  return { page: bytes.subarray(offset, offset + settings.pageSize), start: number === 1 ? SALT_BYTES : 0 };
}

async function pageAuthentic(
  bytes: Uint8Array,
  number: number,
  settings: SqlcipherSettings,
  key: CryptoKey,
): Promise<boolean> {
  const { page, start } = pageOf(bytes, number, settings);
  const end = settings.pageSize - reserveOf(settings) + IV_BYTES;
  // The page number is appended little-endian (SQLCipher's default since version 2).
  const pageNumber = new Uint8Array(4);
  new DataView(pageNumber.buffer).setUint32(0, number, true);
  const mac = new Uint8Array(
    await globalThis.crypto.subtle.sign('HMAC', key, concatBytes(page.subarray(start, end), pageNumber)),
  );
  return equalBytes(mac, page.subarray(end, end + mac.length));
}

async function decryptPages(bytes: Uint8Array, settings: SqlcipherSettings, keys: PageKeys): Promise<SqlcipherResult> {
  const { cbc } = await import('@noble/ciphers/aes.js');
  const usable = settings.pageSize - reserveOf(settings);
  const image = new Uint8Array(bytes.length);
  const pages = bytes.length / settings.pageSize;
  for (let number = 1; number <= pages; number++) {
    if (number > 1 && !(await pageAuthentic(bytes, number, settings, keys.hmac))) {
      return { kind: 'damaged', reason: `page ${String(number)} fails its authentication code` };
    }
    const { page, start } = pageOf(bytes, number, settings);
    const iv = page.subarray(usable, usable + IV_BYTES);
    const plain = cbc(keys.cipher, iv, { disablePadding: true }).decrypt(page.subarray(start, usable));
    image.set(plain, (number - 1) * settings.pageSize + start);
  }
  for (let index = 0; index < SQLITE_HEADER.length; index++) image[index] = SQLITE_HEADER.charCodeAt(index);
  return { kind: 'ok', bytes: owned(image), settings };
}
