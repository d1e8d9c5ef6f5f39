import {
  aesCbcOpen,
  concatBytes,
  decodeBase64,
  decodeJson,
  equalBytes,
  hmacSha256,
  pbkdf2,
  sha256,
  utf8,
  type Bytes,
} from './format-crypto.js';

// Loaded only for password-protected exports (Argon2id is heavy).

const PBKDF2_KDF = 0;
const ARGON2ID_KDF = 1;
const MAX_PBKDF2_ITERATIONS = 10_000_000;
/** Bitwarden allows 16–1024 MiB; more would exhaust a browser tab. */
const MAX_ARGON2_MIB = 1024;
const MAX_ARGON2_ITERATIONS = 64;
const MAX_ARGON2_PARALLELISM = 16;

export type OpenedExport =
  | { readonly kind: 'document'; readonly document: unknown }
  | { readonly kind: 'wrong-password' }
  | { readonly kind: 'damaged'; readonly why: string };

/** The KDF settings a password-protected export names. */
export interface BitwardenKdf {
  readonly kdfType: 0 | 1;
  readonly kdfIterations: number;
  /** Argon2id only: MiB and lanes. */
  readonly kdfMemory?: number;
  readonly kdfParallelism?: number;
}

interface Keys {
  readonly encryption: Bytes;
  readonly mac: Bytes;
}

/**
 * Opens a password-protected Bitwarden export: the password and the file's `salt` go through the
 * KDF named in the file (PBKDF2-HMAC-SHA256, or Argon2id over the SHA-256 of the salt), HKDF-Expand
 * (SHA-256, "enc" and "mac") stretches the result into two keys, and `data` is an EncString of
 * type 2 (`2.iv|ciphertext|mac`: AES-256-CBC, HMAC-SHA256 over iv and ciphertext). The HMAC of
 * `encKeyValidation_DO_NOT_EDIT` tells a wrong password apart from a damaged file.
 *
 * @see https://bitwarden.com/help/encrypted-export/
 */
export async function decryptBitwardenExport(
  document: Record<string, unknown>,
  password: string,
): Promise<OpenedExport> {
  const kdf = readKdf(document);
  if (typeof kdf === 'string') return { kind: 'damaged', why: kdf };
  if (typeof document.salt !== 'string' || typeof document.data !== 'string') {
    return { kind: 'damaged', why: 'no salt or data' };
  }
  const keys = await deriveKeys(password, document.salt, kdf);
  const validation = document.encKeyValidation_DO_NOT_EDIT;
  if (typeof validation === 'string' && (await openEncString(validation, keys)) === null) {
    return { kind: 'wrong-password' };
  }
  const plain = await openEncString(document.data, keys);
  if (plain === null)
    return typeof validation === 'string'
      ? { kind: 'damaged', why: 'data does not match its MAC' }
      : { kind: 'wrong-password' };
  const inner = decodeJson(plain);
  return inner === undefined
    ? { kind: 'damaged', why: 'the decrypted data is not JSON' }
    : { kind: 'document', document: inner };
}

function readKdf(document: Record<string, unknown>): BitwardenKdf | string {
  const { kdfType, kdfIterations, kdfMemory, kdfParallelism } = document;
  if (typeof kdfIterations !== 'number' || !Number.isSafeInteger(kdfIterations) || kdfIterations < 1) {
    return 'kdfIterations is not a positive whole number';
  }
  if (kdfType === PBKDF2_KDF) {
    return kdfIterations > MAX_PBKDF2_ITERATIONS
      ? `${String(kdfIterations)} PBKDF2 iterations are too many`
      : { kdfType, kdfIterations };
  }
  if (kdfType !== ARGON2ID_KDF) return `unknown kdfType ${String(kdfType)}`;
  const wholeIn = (value: unknown, max: number): value is number =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= max;
  if (
    !wholeIn(kdfMemory, MAX_ARGON2_MIB) ||
    !wholeIn(kdfParallelism, MAX_ARGON2_PARALLELISM) ||
    kdfIterations > MAX_ARGON2_ITERATIONS
  ) {
    return 'the Argon2id memory, parallelism or iterations are out of range';
  }
  return { kdfType, kdfIterations, kdfMemory, kdfParallelism };
}

async function deriveKeys(password: string, salt: string, kdf: BitwardenKdf): Promise<Keys> {
  let key: Uint8Array;
  if (kdf.kdfType === PBKDF2_KDF) {
    key = await pbkdf2('SHA-256', password, utf8(salt), kdf.kdfIterations, 32);
  } else {
    const { argon2idAsync } = await import('@noble/hashes/argon2.js');
    key = await argon2idAsync(utf8(password), await sha256(utf8(salt)), {
      t: kdf.kdfIterations,
      m: (kdf.kdfMemory ?? 0) * 1024,
      p: kdf.kdfParallelism ?? 1,
      dkLen: 32,
    });
  }
  // HKDF-Expand of one block: T(1) = HMAC(PRK, info || 0x01).
  const expand = (info: string): Promise<Bytes> => hmacSha256(key, concatBytes(utf8(info), new Uint8Array([1])));
  return { encryption: await expand('enc'), mac: await expand('mac') };
}

async function openEncString(text: string, keys: Keys): Promise<Bytes | null> {
  const match = /^2\.([^|]+)\|([^|]+)\|([^|]+)$/.exec(text);
  const [iv, cipher, mac] = (match?.slice(1) ?? []).map(decodeBase64);
  if (iv == null || cipher == null || mac == null) return null;
  if (!equalBytes(await hmacSha256(keys.mac, concatBytes(iv, cipher)), mac)) return null;
  return aesCbcOpen(keys.encryption, iv, cipher);
}
