import { base64, hex } from '@scure/base';

/**
 * The key derivations and ciphers other apps' exports use, over WebCrypto (in browsers and Node
 * alike). Decryption gives `null` when authentication or padding fails: a wrong password is an
 * expected outcome, not an exception.
 */

export type Pbkdf2Hash = 'SHA-1' | 'SHA-256' | 'SHA-512';

/** PBKDF2 (RFC 8018 §5.2) of the password's UTF-8 bytes. */
export async function pbkdf2(
  password: string,
  salt: Uint8Array,
  iterations: number,
  hash: Pbkdf2Hash,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle.deriveBits({ name: 'PBKDF2', salt: owned(salt), iterations, hash }, base, length * 8);
  return new Uint8Array(bits);
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', owned(bytes)));
}

/** AES-CBC with PKCS #7 padding; `null` when the padding is wrong (most often: a wrong key). */
export async function aesCbcDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (data.length === 0 || data.length % 16 !== 0 || iv.length !== 16) return null;
  const subtle = globalThis.crypto.subtle;
  const cryptoKey = await subtle.importKey('raw', owned(key), 'AES-CBC', false, ['decrypt']);
  try {
    return new Uint8Array(await subtle.decrypt({ name: 'AES-CBC', iv: owned(iv) }, cryptoKey, owned(data)));
  } catch {
    return null;
  }
}

/** AES-GCM, the tag appended to the ciphertext (as Java and WebCrypto write it); `null` when it does not authenticate. */
export async function aesGcmDecrypt(
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  additionalData: Uint8Array = new Uint8Array(0),
  tagBytes = 16,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (data.length < tagBytes || iv.length === 0) return null;
  const subtle = globalThis.crypto.subtle;
  const cryptoKey = await subtle.importKey('raw', owned(key), 'AES-GCM', false, ['decrypt']);
  try {
    const plain = await subtle.decrypt(
      { name: 'AES-GCM', iv: owned(iv), additionalData: owned(additionalData), tagLength: tagBytes * 8 },
      cryptoKey,
      owned(data),
    );
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

/** Standard base64 (RFC 4648 §4), whitespace ignored, padding required; `null` when it is not. */
export function fromBase64(text: string): Uint8Array | null {
  try {
    return base64.decode(text.replace(/\s+/g, ''));
  } catch {
    return null;
  }
}

/** Hexadecimal in either case; `null` when it is not. */
export function fromHex(text: string): Uint8Array | null {
  try {
    return hex.decode(text.trim().toLowerCase());
  } catch {
    return null;
  }
}

/** WebCrypto wants ArrayBuffer-backed views. */
function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
