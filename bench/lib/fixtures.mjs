// Request fixtures: real v1 ciphertexts and v2 envelopes made with the project's own core (dist/core).
/** @typedef {import('./load.mjs').LoadSpec} LoadSpec */
import {
  deriveV1Credentials,
  deriveV2Keys,
  encryptV1,
  makeEntry,
  randomItemId,
  randomUuid,
  sealEnvelope,
} from '../../dist/core/index.js';

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

/**
 * A fresh v2 account holding `count` real envelopes (sealed with the core's `sealEnvelope`), created
 * over HTTP at `origin`; returns the load spec of its first sync, `GET /api/v2/items?since=0`.
 * @param {string} origin
 * @param {number} count
 * @returns {Promise<LoadSpec>}
 */
export async function seedV2Account(origin, count) {
  const v1 = await deriveV1Credentials(randomUuid());
  const keys = await deriveV2Keys(v1.key);
  const headers = { 'x-user-hash': v1.id, authorization: `Bearer ${keys.authToken}` };
  for (let index = 0; index < count; index++) {
    const itemId = randomItemId();
    const entry = makeEntry(base32Secret(index), `Service ${String(index + 1)}`);
    const envelope = await sealEnvelope(keys.envelopeKey, { userId: v1.id, itemId }, entry, 1);
    const response = await fetch(`${origin}/api/v2/items/${itemId}`, {
      method: 'PUT',
      headers: { ...headers, 'if-match': '"0"', 'content-type': 'application/json' },
      body: JSON.stringify({ envelope }),
    });
    if (!response.ok) throw new Error(`v2 seed failed: ${String(response.status)} ${await response.text()}`);
  }
  return { path: '/api/v2/items?since=0', headers };
}
