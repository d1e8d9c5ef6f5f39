/** The page's IndexedDB access (`idb.ts`), passed in so this chunk shares no module with the page. */
export interface LockDb {
  get(name: 'lock', key: string): Promise<unknown>;
  put(name: 'lock', key: string, value: unknown): Promise<void>;
  delete(name: 'lock', key: string): Promise<void>;
}

/**
 * The device lock (a lazy chunk): the Secret's 16-byte key, wrapped twice and kept in IndexedDB.
 *
 * - The inner layer is AES-256-GCM under a key derived from what the person knows or holds: a PIN or
 *   passphrase through PBKDF2-HMAC-SHA256 with 600 000 iterations (OWASP's Password Storage Cheat Sheet
 *   figure for PBKDF2-SHA256) and a random 16-byte salt, or a passkey's WebAuthn PRF output through HKDF.
 * - The outer layer is AES-256-GCM under a random device key made non-extractable by WebCrypto: script
 *   can use it but never read it, so the stored record alone opens nothing.
 *
 * Every key the page derives here is non-extractable. Without the PIN or the passkey, nothing stored can
 * be turned back into the Secret (or the UUID, which is never known to the page after an unlock).
 */
export const PBKDF2_ITERATIONS = 600_000;
const RECORD_KEY = 'device';
const AAD = new TextEncoder().encode('open2fa device lock v1');
const HKDF_INFO = new TextEncoder().encode('open2fa passkey prf v1');

interface LockRecord {
  readonly kind: 'pin' | 'passkey';
  /** SHA-256 of the ID, so a record of another ID is never tried (the ID is not stored here). */
  readonly idHash: string;
  readonly salt: Uint8Array<ArrayBuffer>;
  readonly iterations: number;
  readonly innerIv: Uint8Array<ArrayBuffer>;
  readonly outerIv: Uint8Array<ArrayBuffer>;
  readonly wrapped: ArrayBuffer;
  readonly deviceKey: CryptoKey;
  readonly credentialId?: ArrayBuffer;
}

const random = (length: number): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(length));

async function idHash(id: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`open2fa-device-lock\u0000${id}`));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** PBKDF2-HMAC-SHA256 of the PIN: a non-extractable AES-GCM key. */
async function pinKey(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(pin.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** HKDF-SHA256 of the passkey's PRF output: a non-extractable AES-GCM key. */
async function prfKey(output: BufferSource, salt: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', output, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: HKDF_INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function seal(
  db: LockDb,
  kind: LockRecord['kind'],
  id: string,
  key: Uint8Array<ArrayBuffer>,
  inner: CryptoKey,
  salt: Uint8Array<ArrayBuffer>,
  extra: Partial<LockRecord> = {},
): Promise<void> {
  const deviceKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const innerIv = random(12);
  const outerIv = random(12);
  const once = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: innerIv, additionalData: AAD }, inner, key);
  const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: outerIv, additionalData: AAD }, deviceKey, once);
  const record: LockRecord = {
    kind,
    idHash: await idHash(id),
    salt,
    iterations: PBKDF2_ITERATIONS,
    innerIv,
    outerIv,
    wrapped,
    deviceKey,
    ...extra,
  };
  await db.put('lock', RECORD_KEY, record);
}

async function readRecord(db: LockDb, id: string): Promise<LockRecord | null> {
  const record = (await db.get('lock', RECORD_KEY)) as LockRecord | undefined;
  if (record === undefined || !(record.deviceKey instanceof CryptoKey)) return null;
  return record.idHash === (await idHash(id)) ? record : null;
}

async function open(record: LockRecord, inner: CryptoKey): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    const once = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: record.outerIv, additionalData: AAD },
      record.deviceKey,
      record.wrapped,
    );
    const key = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.innerIv, additionalData: AAD }, inner, once);
    return new Uint8Array(key);
  } catch {
    // A wrong PIN fails GCM's authentication: a value, not an exception for the caller.
    return null;
  }
}

/** Wraps the session's key under a PIN or passphrase (replacing any earlier lock). */
export async function lockWithPin(db: LockDb, id: string, key: Uint8Array<ArrayBuffer>, pin: string): Promise<void> {
  const salt = random(16);
  await seal(db, 'pin', id, key, await pinKey(pin, salt, PBKDF2_ITERATIONS), salt);
}

/** The key the PIN opens, or `null` (wrong PIN, no lock for this ID). */
export async function unlockWithPin(db: LockDb, id: string, pin: string): Promise<Uint8Array<ArrayBuffer> | null> {
  const record = await readRecord(db, id);
  if (record?.kind !== 'pin' || pin === '') return null;
  return open(record, await pinKey(pin, record.salt, record.iterations));
}

interface PrfResults {
  readonly enabled?: boolean;
  readonly results?: { readonly first?: BufferSource };
}

function prfOutput(credential: Credential | null): { enabled: boolean; first: BufferSource | null } {
  if (!(credential instanceof PublicKeyCredential)) return { enabled: false, first: null };
  const prf = (credential.getClientExtensionResults() as { prf?: PrfResults }).prf;
  return { enabled: prf?.enabled === true || prf?.results?.first !== undefined, first: prf?.results?.first ?? null };
}

/** Whether this browser offers a platform or security-key authenticator at all (PRF is known only on use). */
export function passkeyAvailable(): boolean {
  return typeof PublicKeyCredential === 'function' && typeof navigator.credentials.create === 'function';
}

async function passkeyEvaluate(credentialId: ArrayBuffer, salt: Uint8Array<ArrayBuffer>): Promise<BufferSource | null> {
  const assertion = await navigator.credentials.get({
    publicKey: {
      challenge: random(32),
      allowCredentials: [{ type: 'public-key', id: credentialId }],
      userVerification: 'required',
      extensions: { prf: { eval: { first: salt } } },
    },
  });
  return prfOutput(assertion).first;
}

/**
 * Creates a passkey for this page with the PRF extension and wraps the key under its output.
 * `'unsupported'` when the browser or authenticator has no PRF.
 */
export async function lockWithPasskey(
  db: LockDb,
  id: string,
  key: Uint8Array<ArrayBuffer>,
): Promise<'ok' | 'unsupported'> {
  const salt = random(32);
  const credential = await navigator.credentials.create({
    publicKey: {
      rp: { name: 'Open2FA' },
      // A random handle: the authenticator never learns the Open2FA ID.
      user: { id: random(16), name: 'Open2FA on this device', displayName: 'Open2FA' },
      challenge: random(32),
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -257 },
      ],
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      extensions: { prf: { eval: { first: salt } } },
    },
  });
  const created = prfOutput(credential);
  if (!created.enabled || !(credential instanceof PublicKeyCredential)) return 'unsupported';
  const credentialId = credential.rawId;
  // Some authenticators evaluate the PRF only on an assertion, not at creation.
  const output = created.first ?? (await passkeyEvaluate(credentialId, salt));
  if (output === null) return 'unsupported';
  await seal(db, 'passkey', id, key, await prfKey(output, salt), salt, { credentialId });
  return 'ok';
}

export async function unlockWithPasskey(db: LockDb, id: string): Promise<Uint8Array<ArrayBuffer> | null> {
  const record = await readRecord(db, id);
  if (record?.kind !== 'passkey' || record.credentialId === undefined) return null;
  const output = await passkeyEvaluate(record.credentialId, record.salt);
  return output === null ? null : open(record, await prfKey(output, record.salt));
}

export async function removeLock(db: LockDb): Promise<void> {
  await db.delete('lock', RECORD_KEY);
}
