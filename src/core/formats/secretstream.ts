import { chacha20, chacha20poly1305, hchacha } from '@noble/ciphers/chacha.js';

/** libsodium's `crypto_secretstream_xchacha20poly1305` sizes. */
export const SECRETSTREAM_HEADER_BYTES = 24;
const KEY_BYTES = 32;
const BLOCK_BYTES = 64;
const MAC_BYTES = 16;
export const TAG_FINAL = 3;
/** "expand 32-byte k" as little-endian words. */
const SIGMA = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);

function words(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: bytes.length / 4 }, (_, index) => view.getUint32(index * 4, true));
}

function bytesOf(values: Uint32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((value, index) => {
    view.setUint32(index * 4, value, true);
  });
  return out;
}

/**
 * Decrypts the first message of a libsodium secretstream (XChaCha20-Poly1305), the way Ente Auth
 * seals its encrypted export: one message, tagged FINAL. `null` when the MAC does not match.
 *
 * The stream's subkey is HChaCha20(key, header[0..16]); the nonce is a 32-bit counter (1 for the
 * first message) followed by header[16..24]. A message is ChaCha20-Poly1305 (RFC 8439) of
 * `tag ‖ 63 zero bytes ‖ message` without associated data, of which the stream keeps the first
 * ciphertext byte (the encrypted tag), the message's ciphertext and the MAC: the 63 dropped bytes
 * are keystream, so they are recomputed here and the library's AEAD checks the MAC.
 *
 * @see https://doc.libsodium.org/secret-key_cryptography/secretstream
 */
export function openSecretstreamMessage(
  key: Uint8Array,
  header: Uint8Array,
  sealed: Uint8Array,
): { readonly tag: number; readonly message: Uint8Array } | null {
  if (key.length !== KEY_BYTES || header.length !== SECRETSTREAM_HEADER_BYTES || sealed.length < 1 + MAC_BYTES)
    return null;
  const subkeyWords = new Uint32Array(8);
  hchacha(SIGMA, words(key), words(header.subarray(0, 16)), subkeyWords);
  const subkey = bytesOf(subkeyWords);
  const nonce = new Uint8Array(12);
  nonce[0] = 1;
  nonce.set(header.subarray(16, 24), 4);
  const keystream = chacha20(subkey, nonce, new Uint8Array(BLOCK_BYTES), undefined, 1);
  const body = sealed.subarray(1, sealed.length - MAC_BYTES);
  const full = new Uint8Array(BLOCK_BYTES + body.length + MAC_BYTES);
  full[0] = sealed[0] ?? 0;
  full.set(keystream.subarray(1), 1);
  full.set(body, BLOCK_BYTES);
  full.set(sealed.subarray(sealed.length - MAC_BYTES), BLOCK_BYTES + body.length);
  let plain: Uint8Array;
  try {
    plain = chacha20poly1305(subkey, nonce).decrypt(full);
  } catch {
    return null;
  }
  return { tag: plain[0] ?? 0, message: plain.slice(BLOCK_BYTES) };
}
