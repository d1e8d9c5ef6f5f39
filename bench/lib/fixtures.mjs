// Request fixtures: real v1 ciphertexts made with the project's own cipher (dist/core).
import { deriveV1Credentials, encryptV1, randomUuid } from '../../dist/core/index.js';

/** Twenty distinct valid base32 TOTP secrets (16 characters, as most sites hand out). */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** @param {number} index */
export function base32Secret(index) {
  let text = '';
  let value = index * 2654435761 + 12345;
  for (let position = 0; position < 16; position++) {
    text += BASE32[value % 32] ?? 'A';
    value = Math.floor(value / 32) + (position + 1) * 7919;
  }
  return text;
}

/**
 * A fresh person: credentials and `count` encrypted entries ready for `POST /api/v1/totps`.
 * @param {number} count
 */
export async function makeUser(count) {
  const credentials = await deriveV1Credentials(randomUuid());
  const totps = [];
  for (let index = 0; index < count; index++) {
    totps.push({
      enc_secret: await encryptV1(credentials.key, base32Secret(index)),
      name: `Service ${String(index + 1)}`,
    });
  }
  return { credentials, totps, body: JSON.stringify({ totps }) };
}

/**
 * @param {string} origin
 * @param {string} userHash
 * @param {string} body
 */
export async function pushOverHttp(origin, userHash, body) {
  const response = await fetch(`${origin}/api/v1/totps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user-hash': userHash },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`push failed: ${String(response.status)} ${text}`);
  return text;
}
