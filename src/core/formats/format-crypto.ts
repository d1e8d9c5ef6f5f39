/**
 * The ciphers and KDFs that other apps' encrypted exports use, over WebCrypto (AES, PBKDF2, SHA-2),
 * so that the CLI and the page run the same code. Authentication failures are values (`null`),
 * never exceptions: a wrong password is an expected outcome.
 */
import { base64, hex } from '@scure/base';

export type Bytes = Uint8Array<ArrayBuffer>;

/** A copy in a fresh `ArrayBuffer`, as WebCrypto's types ask. */
export function owned(bytes: Uint8Array): Bytes {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

export function utf8(text: string): Bytes {
  return new TextEncoder().encode(text);
}

export function concatBytes(...parts: readonly Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function randomBytes(length: number): Bytes {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** Strict UTF-8 text of decrypted bytes, or `null`. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** JSON of decrypted bytes, or `undefined` when they are not UTF-8 JSON. */
export function decodeJson(bytes: Uint8Array): unknown {
  const text = decodeUtf8(bytes);
  if (text === null) return undefined;
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
}

function aesKey(key: Uint8Array, name: 'AES-GCM' | 'AES-CBC', usage: KeyUsage): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', owned(key), name, false, [usage]);
}

/** AES-GCM with a 16-byte tag at the end of `sealed`; `null` when the tag does not match. */
export async function aesGcmOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  additionalData?: Uint8Array,
): Promise<Bytes | null> {
  try {
    const plain = await globalThis.crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: owned(nonce),
        ...(additionalData === undefined ? {} : { additionalData: owned(additionalData) }),
      },
      await aesKey(key, 'AES-GCM', 'decrypt'),
      owned(sealed),
    );
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

/** AES-GCM; the 16-byte tag is at the end of the result. */
export async function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, plain: Uint8Array): Promise<Bytes> {
  const sealed = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: owned(nonce) },
    await aesKey(key, 'AES-GCM', 'encrypt'),
    owned(plain),
  );
  return new Uint8Array(sealed);
}

/** AES-CBC with PKCS#7 padding; `null` when the padding is wrong (the usual sign of a wrong key). */
export async function aesCbcOpen(key: Uint8Array, iv: Uint8Array, cipher: Uint8Array): Promise<Bytes | null> {
  try {
    const plain = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-CBC', iv: owned(iv) },
      await aesKey(key, 'AES-CBC', 'decrypt'),
      owned(cipher),
    );
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

export type ShaName = 'SHA-1' | 'SHA-256' | 'SHA-512';

/** PBKDF2-HMAC of a password's UTF-8 bytes. */
export async function pbkdf2(
  hash: ShaName,
  password: string | Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Promise<Bytes> {
  const material = await globalThis.crypto.subtle.importKey(
    'raw',
    typeof password === 'string' ? utf8(password) : owned(password),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash, salt: owned(salt), iterations },
    material,
    length * 8,
  );
  return new Uint8Array(bits);
}

export async function sha256(bytes: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', owned(bytes)));
}

export async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Bytes> {
  const hmacKey = await globalThis.crypto.subtle.importKey(
    'raw',
    owned(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', hmacKey, owned(data)));
}

/** Whether two byte strings are equal, in time independent of where they differ. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}

/** Lenient base64 (standard or URL alphabet, padding optional); `null` when it is not base64. */
export function decodeBase64(text: unknown): Bytes | null {
  if (typeof text !== 'string') return null;
  const compact = text.replace(/\s/g, '').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  try {
    return owned(base64.decode(compact.padEnd(Math.ceil(compact.length / 4) * 4, '=')));
  } catch {
    return null;
  }
}

export function encodeBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/** Hex (either case); `null` when it is not hex. */
export function decodeHex(text: unknown): Bytes | null {
  if (typeof text !== 'string') return null;
  try {
    return owned(hex.decode(text.toLowerCase()));
  } catch {
    return null;
  }
}

export function encodeHex(bytes: Uint8Array): string {
  return hex.encode(bytes);
}
