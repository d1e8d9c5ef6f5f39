import { base64 } from '@scure/base';
import type { Entry } from '../entry/model.js';
import type { ImportFormatSpec } from './format-spec.js';
import { isRecord, show, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import { parseOpen2fa, serializeOpen2fa } from './open2fa-format.js';
import { damagedOutcome, entriesOutcome, unsupportedOutcome } from './format-items.js';

export const BACKUP_FORMAT = 'open2fa-backup';
export const BACKUP_VERSION = 1;
/** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256; fewer are refused in both directions. */
export const MIN_BACKUP_ITERATIONS = 600_000;
/** A backup asking for more would make reading it a denial of service. */
export const MAX_BACKUP_ITERATIONS = 10_000_000;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;

/** The versioned JSON container of an encrypted backup (documented in docs/import-export.md). */
export interface EncryptedBackup {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: typeof BACKUP_VERSION;
  readonly kdf: { readonly name: 'PBKDF2-SHA256'; readonly iterations: number; readonly salt: string };
  readonly cipher: { readonly name: 'AES-256-GCM'; readonly nonce: string };
  readonly ciphertext: string;
}

export interface BackupOptions {
  readonly iterations?: number;
  /** Random bytes; tests pass fixed ones. */
  readonly random?: (length: number) => Uint8Array<ArrayBuffer>;
}

/** Whether a parsed JSON document is an open2fa encrypted backup (of any version). */
export function isEncryptedBackup(document: unknown): document is Record<string, unknown> {
  return isRecord(document) && document.format === BACKUP_FORMAT;
}

/**
 * Encrypts entries under a passphrase: PBKDF2-HMAC-SHA256 (≥ 600 000 iterations, 16-byte random
 * salt) derives an AES-256-GCM key; the plaintext is the open2fa JSON export; the 12-byte nonce is
 * random; the associated data binds the container's parameters, so none can be changed unnoticed.
 *
 * @returns the container as JSON text
 */
export async function encryptBackup(
  entries: readonly Entry[],
  passphrase: string,
  options: BackupOptions = {},
): Promise<string> {
  if (passphrase === '') throw new TypeError('the passphrase of a backup cannot be empty');
  const iterations = options.iterations ?? MIN_BACKUP_ITERATIONS;
  checkIterations(iterations);
  const random = options.random ?? ((length: number) => globalThis.crypto.getRandomValues(new Uint8Array(length)));
  const salt = base64.encode(random(SALT_BYTES));
  const nonce = base64.encode(random(NONCE_BYTES));
  const header = { kdf: { name: 'PBKDF2-SHA256', iterations, salt }, cipher: { name: 'AES-256-GCM', nonce } } as const;
  const key = await deriveKey(passphrase, salt, iterations);
  const ciphertext = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: fromBase64(nonce), additionalData: associatedData(iterations, salt, nonce) },
    key,
    new TextEncoder().encode(serializeOpen2fa(entries)),
  );
  const backup: EncryptedBackup = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    ...header,
    ciphertext: base64.encode(new Uint8Array(ciphertext)),
  };
  return `${JSON.stringify(backup, null, 2)}\n`;
}

export type BackupResult =
  | { readonly ok: true; readonly items: readonly ImportItem[] }
  | { readonly ok: false; readonly reason: 'wrong_passphrase' | 'unsupported' | 'damaged'; readonly message: string };

/**
 * Decrypts a backup. A wrong passphrase and a changed file look the same to AES-GCM (the tag does
 * not match); both are reported as `wrong_passphrase`, with a message saying so.
 */
export async function decryptBackup(document: Record<string, unknown>, passphrase: string): Promise<BackupResult> {
  const parsed = readContainer(document);
  if (typeof parsed === 'string') return parsed.startsWith('unsupported') ? unsupported(parsed) : damaged(parsed);
  let plaintext: ArrayBuffer;
  try {
    const key = await deriveKey(passphrase, parsed.salt, parsed.iterations);
    plaintext = await globalThis.crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: fromBase64(parsed.nonce),
        additionalData: associatedData(parsed.iterations, parsed.salt, parsed.nonce),
      },
      key,
      fromBase64(parsed.ciphertext),
    );
  } catch {
    return {
      ok: false,
      reason: 'wrong_passphrase',
      message: 'wrong passphrase (or the backup file was changed): nothing could be decrypted',
    };
  }
  let inner: unknown;
  try {
    inner = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    return damaged('the decrypted content is not JSON');
  }
  const items = isRecord(inner) ? parseOpen2fa(inner) : null;
  return items === null ? damaged('the decrypted content is not an open2fa export') : { ok: true, items };
}

interface Container {
  readonly iterations: number;
  readonly salt: string;
  readonly nonce: string;
  readonly ciphertext: string;
}

function readContainer(document: Record<string, unknown>): Container | string {
  if (document.version !== BACKUP_VERSION) {
    return `unsupported backup version ${show(document.version)}: update open2fa to read it`;
  }
  const { kdf, cipher, ciphertext } = document;
  if (!isRecord(kdf) || !isRecord(cipher) || typeof ciphertext !== 'string') return 'missing kdf, cipher or ciphertext';
  if (kdf.name !== 'PBKDF2-SHA256' || cipher.name !== 'AES-256-GCM') {
    return `unsupported algorithms ${show(kdf.name)} / ${show(cipher.name)}`;
  }
  const { iterations, salt } = kdf;
  const nonce = cipher.nonce;
  if (typeof iterations !== 'number' || typeof salt !== 'string' || typeof nonce !== 'string') {
    return 'the kdf or cipher parameters are missing';
  }
  try {
    checkIterations(iterations);
    if (base64.decode(salt).length < SALT_BYTES || base64.decode(nonce).length !== NONCE_BYTES) {
      return 'the salt or nonce has the wrong length';
    }
    base64.decode(ciphertext);
  } catch (error) {
    return error instanceof RangeError ? error.message : 'the salt, nonce or ciphertext is not base64';
  }
  return { iterations, salt, nonce, ciphertext };
}

function checkIterations(iterations: number): void {
  if (!Number.isSafeInteger(iterations) || iterations < MIN_BACKUP_ITERATIONS || iterations > MAX_BACKUP_ITERATIONS) {
    throw new RangeError(
      `PBKDF2 iterations must be from ${String(MIN_BACKUP_ITERATIONS)} to ${String(MAX_BACKUP_ITERATIONS)}, got ${String(iterations)}`,
    );
  }
}

async function deriveKey(passphrase: string, salt: string, iterations: number): Promise<CryptoKey> {
  const material = await globalThis.crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return globalThis.crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: fromBase64(salt), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** `open2fa-backup/1 PBKDF2-SHA256 <iterations> <salt> AES-256-GCM <nonce>`, as UTF-8. */
function associatedData(iterations: number, salt: string, nonce: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(
    `${BACKUP_FORMAT}/${String(BACKUP_VERSION)} PBKDF2-SHA256 ${String(iterations)} ${salt} AES-256-GCM ${nonce}`,
  );
}

function unsupported(message: string): BackupResult {
  return { ok: false, reason: 'unsupported', message };
}

function damaged(why: string): BackupResult {
  return { ok: false, reason: 'damaged', message: `the backup file is damaged (${why})` };
}

/** Decoded into a fresh `ArrayBuffer`, as WebCrypto's types ask. */
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const decoded = base64.decode(text);
  const bytes = new Uint8Array(decoded.length);
  bytes.set(decoded);
  return bytes;
}

/** open2fa's encrypted backup (`export --encrypted`): PBKDF2-SHA256 and AES-256-GCM. */
export const open2faBackupFormat: ImportFormatSpec = {
  name: 'open2fa-backup',
  label: 'open2fa encrypted backup',
  encryption: 'always',
  detect: (source) => isEncryptedBackup(jsonOf(source)),
  async parse(source, options) {
    const document = jsonOf(source);
    if (!isEncryptedBackup(document)) return damagedOutcome('open2fa-backup', 'not an open2fa backup');
    if (options.password === undefined) return { kind: 'password-needed', format: 'open2fa-backup' };
    const result = await decryptBackup(document, options.password);
    if (result.ok) return entriesOutcome('open2fa-backup', result.items);
    if (result.reason === 'wrong_passphrase') return { kind: 'wrong-password', format: 'open2fa-backup' };
    return unsupportedOutcome('open2fa-backup', result.message);
  },
};
