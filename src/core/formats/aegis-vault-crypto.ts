import type { Entry } from '../entry/model.js';
import { randomUuid } from '../uuid.js';
import { aegisContent } from './aegis-format.js';
import {
  aesGcmOpen,
  aesGcmSeal,
  decodeBase64,
  decodeHex,
  decodeJson,
  encodeBase64,
  encodeHex,
  randomBytes,
  utf8,
} from './format-crypto.js';
import { isRecord } from './import-item.js';

// Loaded only for encrypted vaults: scrypt is heavy and the plain formats do not need it.

const TAG_BYTES = 16;
const NONCE_BYTES = 12;
const KEY_BYTES = 32;
const PASSWORD_SLOT = 1;
/** Aegis's own parameters (docs/vault.md): N 2^15, r 8, p 1. */
export const AEGIS_SCRYPT = { n: 2 ** 15, r: 8, p: 1 } as const;
/** scrypt needs 128·N·r bytes: a file asking for more than 1 GiB is refused, not run. */
const MAX_SCRYPT_MEMORY = 2 ** 30;

export type OpenedVault =
  | { readonly kind: 'content'; readonly content: unknown }
  | { readonly kind: 'wrong-password'; readonly format: 'aegis' }
  | { readonly kind: 'damaged'; readonly why: string };

interface PasswordSlot {
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Uint8Array;
  /** The wrapped master key followed by its tag. */
  readonly sealedKey: Uint8Array;
  readonly nonce: Uint8Array;
}

/**
 * Opens an encrypted Aegis vault: each password slot's key is derived with scrypt and unwraps the
 * master key (AES-256-GCM); the master key decrypts `db` with the header's nonce and tag.
 *
 * @see https://github.com/beemdevelopment/Aegis/blob/master/docs/vault.md
 */
export async function decryptAegisVault(document: Record<string, unknown>, password: string): Promise<OpenedVault> {
  const header = document.header;
  if (!isRecord(header) || !Array.isArray(header.slots) || !isRecord(header.params)) {
    return { kind: 'damaged', why: 'the header has no slots or params' };
  }
  const db = decodeBase64(document.db);
  const nonce = decodeHex(header.params.nonce);
  const tag = decodeHex(header.params.tag);
  if (db === null || nonce?.length !== NONCE_BYTES || tag?.length !== TAG_BYTES) {
    return { kind: 'damaged', why: 'the db, nonce or tag is not what Aegis writes' };
  }
  const slots = header.slots.filter((slot) => isRecord(slot) && slot.type === PASSWORD_SLOT).map(passwordSlot);
  if (slots.length === 0) return { kind: 'damaged', why: 'the vault has no password slot (only biometric ones)' };
  const unreadable = slots.find((slot) => typeof slot === 'string');
  if (unreadable !== undefined) return { kind: 'damaged', why: unreadable };
  const { scryptAsync } = await import('@noble/hashes/scrypt.js');
  for (const slot of slots as PasswordSlot[]) {
    const derived = await scryptAsync(utf8(password), slot.salt, { N: slot.n, r: slot.r, p: slot.p, dkLen: KEY_BYTES });
    const masterKey = await aesGcmOpen(derived, slot.nonce, slot.sealedKey);
    if (masterKey === null) continue;
    const plain = await aesGcmOpen(masterKey, nonce, new Uint8Array([...db, ...tag]));
    if (plain === null) return { kind: 'damaged', why: 'the vault content does not match its tag' };
    const content = decodeJson(plain);
    return content === undefined
      ? { kind: 'damaged', why: 'the decrypted vault is not JSON' }
      : { kind: 'content', content };
  }
  return { kind: 'wrong-password', format: 'aegis' };
}

function passwordSlot(slot: unknown): PasswordSlot | string {
  if (!isRecord(slot) || !isRecord(slot.key_params)) return 'a password slot has no key_params';
  const { n, r, p } = slot;
  if (typeof n !== 'number' || typeof r !== 'number' || typeof p !== 'number') return 'a password slot has no n, r, p';
  const powerOfTwo = Number.isSafeInteger(n) && n > 1 && (n & (n - 1)) === 0;
  if (!powerOfTwo || !Number.isSafeInteger(r) || !Number.isSafeInteger(p) || r < 1 || p < 1 || p > 16) {
    return `the scrypt parameters are not valid (N ${String(n)}, r ${String(r)}, p ${String(p)})`;
  }
  if (128 * n * r > MAX_SCRYPT_MEMORY)
    return `the scrypt parameters ask for more than 1 GiB (N ${String(n)}, r ${String(r)})`;
  const salt = decodeHex(slot.salt);
  const key = decodeHex(slot.key);
  const nonce = decodeHex(slot.key_params.nonce);
  const tag = decodeHex(slot.key_params.tag);
  if (salt === null || key?.length !== KEY_BYTES || nonce?.length !== NONCE_BYTES || tag?.length !== TAG_BYTES) {
    return 'a password slot has a salt, key, nonce or tag that is not what Aegis writes';
  }
  return { n, r, p, salt, sealedKey: new Uint8Array([...key, ...tag]), nonce };
}

export interface AegisEncryptOptions {
  /** Random bytes (keys, salts, nonces); tests pass fixed ones. */
  readonly random?: (length: number) => Uint8Array;
  readonly uuid?: () => string;
  readonly scrypt?: { readonly n: number; readonly r: number; readonly p: number };
}

/**
 * An encrypted Aegis vault holding the entries, which Aegis imports with its password: a random
 * master key encrypts the content; one password slot (scrypt, Aegis's parameters) wraps the key.
 */
export async function encryptAegisVault(
  entries: readonly Entry[],
  password: string,
  options: AegisEncryptOptions = {},
): Promise<string> {
  if (password === '') throw new TypeError('the password of an encrypted Aegis export cannot be empty');
  const random = options.random ?? randomBytes;
  const uuid = options.uuid ?? randomUuid;
  const { n, r, p } = options.scrypt ?? AEGIS_SCRYPT;
  const masterKey = random(KEY_BYTES);
  const salt = random(KEY_BYTES);
  const slotNonce = random(NONCE_BYTES);
  const contentNonce = random(NONCE_BYTES);
  const { scryptAsync } = await import('@noble/hashes/scrypt.js');
  const derived = await scryptAsync(utf8(password), salt, { N: n, r, p, dkLen: KEY_BYTES });
  const wrapped = await aesGcmSeal(derived, slotNonce, masterKey);
  const sealed = await aesGcmSeal(masterKey, contentNonce, utf8(JSON.stringify(aegisContent(entries, uuid))));
  const vault = {
    version: 1,
    header: {
      slots: [
        {
          type: PASSWORD_SLOT,
          uuid: uuid(),
          key: encodeHex(wrapped.subarray(0, KEY_BYTES)),
          key_params: { nonce: encodeHex(slotNonce), tag: encodeHex(wrapped.subarray(KEY_BYTES)) },
          n,
          r,
          p,
          salt: encodeHex(salt),
          repaired: true,
          is_backup: false,
        },
      ],
      params: { nonce: encodeHex(contentNonce), tag: encodeHex(sealed.subarray(sealed.length - TAG_BYTES)) },
    },
    db: encodeBase64(sealed.subarray(0, sealed.length - TAG_BYTES)),
  };
  return `${JSON.stringify(vault, null, 4)}\n`;
}
