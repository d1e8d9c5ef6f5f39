import { typeFields } from './entry-builder.js';
import { aesGcmOpen, decodeJson, pbkdf2, sha256, utf8 } from './format-crypto.js';
import type { ImportFormatSpec, ImportSource } from './format-spec.js';
import { isRecord, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import {
  damagedOutcome,
  entriesOutcome,
  entryItem,
  position,
  refusedItem,
  unsupportedOutcome,
} from './format-items.js';

/** Whether a parsed JSON document looks like an andOTP plain backup: a list of objects with a `secret`. */
export function isAndOtpBackup(document: unknown): document is unknown[] {
  return Array.isArray(document) && document.some((item) => isRecord(item) && 'secret' in item);
}

/**
 * The entries of an andOTP plain JSON backup: a list of `{ secret, issuer, label, digits, type
 * (TOTP, HOTP, STEAM), algorithm, period, counter, tags }`; the tags become groups.
 */
export function parseAndOtp(document: readonly unknown[]): ImportItem[] {
  return document.map((item, index): ImportItem => {
    const at = position(index);
    if (!isRecord(item)) return refusedItem(at, 'not an andOTP entry');
    let issuer = typeof item.issuer === 'string' ? item.issuer : '';
    let account = typeof item.label === 'string' ? item.label : '';
    // Old andOTP versions had no issuer field and kept "Issuer - account" in the label.
    const legacy = / - /.exec(account);
    if (!('issuer' in item) && legacy !== null) {
      issuer = account.slice(0, legacy.index);
      account = account.slice(legacy.index + 3);
    }
    if (issuer !== '' && account.startsWith(`${issuer}:`)) account = account.slice(issuer.length + 1);
    return entryItem(at, {
      secret: item.secret,
      issuer,
      account,
      algorithm: item.algorithm,
      digits: item.digits,
      ...typeFields(item.type, item.period, item.counter),
      groups: item.tags,
    });
  });
}

const ITERATION_BYTES = 4;
const SALT_BYTES = 12;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** More would make a wrong file cost minutes of PBKDF2 (andOTP itself picks 140 000–160 000). */
const MAX_ITERATIONS = 10_000_000;
const PGP_ARMOR = '-----BEGIN PGP MESSAGE-----';

/** The PBKDF2 iterations a new-format backup starts with, or `null` when the number is implausible. */
function iterations(bytes: Uint8Array): number | null {
  if (bytes.length < ITERATION_BYTES + SALT_BYTES + NONCE_BYTES + TAG_BYTES) return null;
  const count = new DataView(bytes.buffer, bytes.byteOffset, ITERATION_BYTES).getUint32(0);
  return count >= 1 && count <= MAX_ITERATIONS ? count : null;
}

function isEncryptedAndOtp(source: ImportSource): boolean {
  if (source.text !== null && jsonOf(source) !== undefined) return false;
  if (/\.aes$/i.test(source.fileName)) return true;
  // andOTP writes no magic number: a binary file opening with a plausible iteration count.
  return source.text === null && iterations(source.bytes) !== null;
}

/**
 * andOTP's backups: plain JSON, or password-encrypted (`.json.aes`). The current encrypted layout is
 * `iterations (4 bytes, big-endian) ‖ salt (12) ‖ nonce (12) ‖ AES-256-GCM ciphertext ‖ tag`, with a
 * PBKDF2-HMAC-SHA1 key; the old one is `nonce ‖ ciphertext ‖ tag` under the SHA-256 of the
 * password. Both are tried, new first. OpenPGP-encrypted backups are refused.
 */
export const andOtpFormat: ImportFormatSpec = {
  name: 'andotp',
  label: 'andOTP (JSON, plain or password-encrypted .json.aes)',
  encryption: 'optional',
  detect: (source) =>
    isAndOtpBackup(jsonOf(source)) ||
    source.text?.trimStart().startsWith(PGP_ARMOR) === true ||
    isEncryptedAndOtp(source),
  async parse(source, options) {
    const document = jsonOf(source);
    if (isAndOtpBackup(document)) return entriesOutcome('andotp', parseAndOtp(document));
    if (source.text?.trimStart().startsWith(PGP_ARMOR) === true) {
      return unsupportedOutcome(
        'andotp',
        'an OpenPGP-encrypted andOTP backup needs your OpenPGP key: make a password-encrypted (.json.aes) or plain backup instead',
      );
    }
    if (!isEncryptedAndOtp(source)) return damagedOutcome('andotp', 'not an andOTP backup');
    if (options.password === undefined) return { kind: 'password-needed', format: 'andotp' };
    const plain = await decryptAndOtp(source.bytes, options.password);
    if (plain === null) return { kind: 'wrong-password', format: 'andotp' };
    const inner = decodeJson(plain);
    return isAndOtpBackup(inner) || (Array.isArray(inner) && inner.length === 0)
      ? entriesOutcome('andotp', parseAndOtp(inner))
      : damagedOutcome('andotp', 'the decrypted backup is not an andOTP entry list');
  },
};

async function decryptAndOtp(bytes: Uint8Array, password: string): Promise<Uint8Array | null> {
  const count = iterations(bytes);
  if (count !== null) {
    const salt = bytes.subarray(ITERATION_BYTES, ITERATION_BYTES + SALT_BYTES);
    const start = ITERATION_BYTES + SALT_BYTES;
    const key = await pbkdf2('SHA-1', password, salt, count, 32);
    const plain = await aesGcmOpen(
      key,
      bytes.subarray(start, start + NONCE_BYTES),
      bytes.subarray(start + NONCE_BYTES),
    );
    if (plain !== null) return plain;
  }
  if (bytes.length < NONCE_BYTES + TAG_BYTES) return null;
  const oldKey = await sha256(utf8(password));
  return aesGcmOpen(oldKey, bytes.subarray(0, NONCE_BYTES), bytes.subarray(NONCE_BYTES));
}
