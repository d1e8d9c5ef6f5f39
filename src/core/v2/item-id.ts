import { encodeBase64Url } from '../encoding.js';

/** A random item id: 16 bytes, base64url (22 characters). Apart from the cipher, so ids cost nothing. */
export function randomItemId(): string {
  return encodeBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}
