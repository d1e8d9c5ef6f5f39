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

/**
 * The load specs of the v1 pull (GET) and push (POST of the same entries, the upsert path) for a user
 * made by `makeUser`.
 * @param {Awaited<ReturnType<typeof makeUser>>} user
 */
export function pullPushSpecs(user) {
  const pull = { path: '/api/v1/totps', headers: { 'x-user-hash': user.credentials.id } };
  const push = {
    path: '/api/v1/totps',
    method: /** @type {const} */ ('POST'),
    headers: { 'x-user-hash': user.credentials.id, 'content-type': 'application/json' },
    body: user.body,
  };
  return { pull, push };
}
