import { normalizeBase32 } from '../encoding.js';
import { decryptV1 } from './cipher.js';
import type { V1StoredTotp } from './wire.js';

/** A stored v1 entry the key opens: the plaintext secret as the writer stored it, and where it came from. */
export interface OpenedV1Entry {
  readonly totp: V1StoredTotp;
  /** The secret as written (1.x clients encrypt the text they store); `canonical` is its base32 form. */
  readonly secret: string;
  readonly canonical: string;
}

/** A v1 list after decryption: what opened, and what did not (a wrong key, or not a secret). */
export interface OpenedV1List {
  readonly opened: OpenedV1Entry[];
  readonly failed: V1StoredTotp[];
}

/**
 * Decrypts a v1 list (the one rule for the CLI and the page). The v1 cipher is unauthenticated, so a
 * wrong key is recognised by bad padding, bytes that are not UTF-8, or a plaintext that is not a
 * base32 secret; such entries are returned apart, never as secrets.
 */
export async function openV1List(key: Uint8Array<ArrayBuffer>, totps: readonly V1StoredTotp[]): Promise<OpenedV1List> {
  const results = await Promise.all(
    totps.map(async (totp) => {
      const secret = await decryptV1(key, totp.enc_secret).catch(() => null);
      const canonical = secret === null ? null : normalizeBase32(secret.trim());
      return { totp, secret, canonical };
    }),
  );
  const opened: OpenedV1Entry[] = [];
  const failed: V1StoredTotp[] = [];
  for (const { totp, secret, canonical } of results) {
    if (secret === null || canonical === null) failed.push(totp);
    else opened.push({ totp, secret, canonical });
  }
  return { opened, failed };
}
