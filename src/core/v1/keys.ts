import { Open2faError } from '../errors.js';
import { decodeBase58, encodeBase58 } from '../encoding.js';
import { parseUuid } from '../uuid.js';

/** The two credentials a person holds, derived from their UUID by the open2fa 1.x scheme. */
export interface V1Credentials {
  /** Open2FA ID: base58 of SHA-256(uuid)[0..16]; sent to the server as `X-User-Hash`. */
  readonly id: string;
  /** Open2FA Secret: base58 of SHA-256(uuid)[16..32]; never leaves the client. */
  readonly secret: string;
  /** The raw 16-byte key behind `secret` (the AES-128 key of the v1 cipher). */
  readonly key: Uint8Array<ArrayBuffer>;
}

/** Length in bytes of the Open2FA Secret (the v1 AES-128 key). */
export const V1_KEY_LENGTH = 16;

/**
 * Derives the Open2FA ID and Secret from a UUID exactly as the open2fa 1.x client does.
 *
 * @example await deriveV1Credentials('692a3e6b-4bd4-400b-aa2b-8261695b5ffb')
 * // { id: 'GiG4Xz1tmTnG3CVh38raYX', secret: 'GiRVCWuSBPaVM7xfER9h6', key: … }
 */
export async function deriveV1Credentials(uuid: string): Promise<V1Credentials> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', parseUuid(uuid)));
  const key = digest.slice(16, 32);
  return { id: encodeBase58(digest.subarray(0, 16)), secret: encodeBase58(key), key };
}

/**
 * Reads an Open2FA Secret as typed by a person (base58 of 16 bytes) back into the AES key.
 * Throws `Open2faError('invalid_key')` for anything that is not exactly 16 bytes of base58.
 */
export function parseV1Secret(secret: string): Uint8Array<ArrayBuffer> {
  let key: Uint8Array<ArrayBuffer>;
  try {
    key = decodeBase58(secret.trim());
  } catch (error) {
    throw new Open2faError('invalid_key', 'the Open2FA Secret is not base58', { cause: error });
  }
  if (key.length !== V1_KEY_LENGTH) {
    throw new Open2faError(
      'invalid_key',
      `the Open2FA Secret must decode to ${String(V1_KEY_LENGTH)} bytes, not ${String(key.length)}`,
    );
  }
  return key;
}
