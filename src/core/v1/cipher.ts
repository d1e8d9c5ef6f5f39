import { Open2faError } from '../errors.js';
import { bytesToUtf8, decodeBase58, encodeBase58, utf8ToBytes } from '../encoding.js';
import { V1_KEY_LENGTH } from './keys.js';

/**
 * The fixed IV of the open2fa 1.x cipher. A fixed IV makes the scheme deterministic (equal secrets
 * give equal ciphertexts), which is one reason protocol v2 exists; we keep it only to stay readable
 * by and for 1.x clients.
 */
const V1_IV = utf8ToBytes('0123456789abcdef');
const AES_BLOCK = 16;

async function importV1Key(key: Uint8Array<ArrayBuffer>, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  if (key.length !== V1_KEY_LENGTH) {
    throw new TypeError(`a v1 key has ${String(V1_KEY_LENGTH)} bytes, got ${String(key.length)}`);
  }
  return globalThis.crypto.subtle.importKey('raw', key, 'AES-CBC', false, [usage]);
}

/**
 * Encrypts a TOTP secret the open2fa 1.x way: AES-128-CBC, IV `0123456789abcdef`, PKCS#7,
 * base58 output (the `enc_secret` of the v1 API).
 */
export async function encryptV1(key: Uint8Array<ArrayBuffer>, plaintext: string): Promise<string> {
  const cryptoKey = await importV1Key(key, 'encrypt');
  const ciphertext = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-CBC', iv: V1_IV },
    cryptoKey,
    utf8ToBytes(plaintext),
  );
  return encodeBase58(new Uint8Array(ciphertext));
}

/**
 * Decrypts an `enc_secret`. Throws `Open2faError` with code `invalid_ciphertext` when the text is not
 * base58 of whole AES blocks, and `decrypt_failed` when the key is wrong (bad padding or bytes that are
 * not UTF-8). The v1 scheme has no authentication, so a wrong key is detected only with high
 * probability; callers should also validate the plaintext (a base32 secret).
 */
export async function decryptV1(key: Uint8Array<ArrayBuffer>, encSecret: string): Promise<string> {
  let ciphertext: Uint8Array<ArrayBuffer>;
  try {
    ciphertext = decodeBase58(encSecret);
  } catch (error) {
    throw new Open2faError('invalid_ciphertext', 'the encrypted secret is not base58', { cause: error });
  }
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
    throw new Open2faError(
      'invalid_ciphertext',
      `the encrypted secret is ${String(ciphertext.length)} bytes, not a whole number of AES blocks`,
    );
  }
  const cryptoKey = await importV1Key(key, 'decrypt');
  let plaintext: ArrayBuffer;
  try {
    plaintext = await globalThis.crypto.subtle.decrypt({ name: 'AES-CBC', iv: V1_IV }, cryptoKey, ciphertext);
  } catch (error) {
    throw new Open2faError('decrypt_failed', 'the Open2FA Secret does not decrypt this entry', { cause: error });
  }
  const text = bytesToUtf8(new Uint8Array(plaintext));
  if (text === null) {
    throw new Open2faError('decrypt_failed', 'the Open2FA Secret does not decrypt this entry');
  }
  return text;
}
