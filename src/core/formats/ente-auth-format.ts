import { decodeBase64, decodeUtf8, utf8 } from './format-crypto.js';
import type { ImportFormatSpec } from './format-spec.js';
import { isRecord } from './import-item.js';
import { jsonOf } from './import-source.js';
import { parseUriLines } from './otpauth-lines-format.js';
import { damagedOutcome, entriesOutcome, unsupportedOutcome } from './format-items.js';

const EXPORT_VERSION = 1;
/** libsodium's crypto_pwhash limits for Argon2id; Ente's "sensitive" setting is 1 GiB. */
const MAX_MEMORY_BYTES = 2 ** 30;
const MIN_MEMORY_BYTES = 8192;
const MAX_OPS = 64;

function isEnteExport(document: unknown): document is Record<string, unknown> {
  return (
    isRecord(document) && isRecord(document.kdfParams) && 'encryptedData' in document && 'encryptionNonce' in document
  );
}

/**
 * Ente Auth's exports: plain text (`otpauth://` lines, with notes, tags and pins in `codeDisplay`),
 * or encrypted JSON `{ version: 1, kdfParams { memLimit, opsLimit, salt }, encryptedData,
 * encryptionNonce }`: an Argon2id key (libsodium crypto_pwhash: memLimit bytes, opsLimit passes, one
 * lane) opens a secretstream XChaCha20-Poly1305 message whose header is `encryptionNonce`, and
 * the plain text inside is the plain export.
 *
 * @see https://github.com/ente-io/ente/blob/main/docs/docs/auth/migration/export.md
 */
export const enteAuthFormat: ImportFormatSpec = {
  name: 'ente-auth',
  label: 'Ente Auth (plain text or encrypted export)',
  encryption: 'optional',
  detect: (source) => isEnteExport(jsonOf(source)),
  async parse(source, options) {
    const document = jsonOf(source);
    if (!isEnteExport(document)) {
      const lines = parseUriLines(source.text ?? '');
      if (!lines.sawOtpauth) return damagedOutcome('ente-auth', 'neither otpauth:// lines nor an encrypted export');
      return entriesOutcome('ente-auth', lines.items, lines.warnings);
    }
    if (document.version !== EXPORT_VERSION) {
      return unsupportedOutcome(
        'ente-auth',
        `Ente Auth export version ${String(document.version)} is unknown: update open2fa`,
      );
    }
    const params = readParams(document);
    if (typeof params === 'string') return damagedOutcome('ente-auth', params);
    if (options.password === undefined) return { kind: 'password-needed', format: 'ente-auth' };
    const [{ argon2idAsync }, { openSecretstreamMessage, TAG_FINAL }] = await Promise.all([
      import('@noble/hashes/argon2.js'),
      import('./secretstream.js'),
    ]);
    const key = await argon2idAsync(utf8(options.password), params.salt, {
      t: params.opsLimit,
      m: Math.floor(params.memLimit / 1024),
      p: 1,
      dkLen: 32,
    });
    const opened = openSecretstreamMessage(key, params.header, params.sealed);
    if (opened === null) return { kind: 'wrong-password', format: 'ente-auth' };
    if (opened.tag !== TAG_FINAL) return damagedOutcome('ente-auth', 'the encrypted data is cut short');
    const text = decodeUtf8(opened.message);
    if (text === null) return damagedOutcome('ente-auth', 'the decrypted export is not text');
    const lines = parseUriLines(text);
    return entriesOutcome('ente-auth', lines.items, lines.warnings);
  },
};

interface EnteParams {
  readonly memLimit: number;
  readonly opsLimit: number;
  readonly salt: Uint8Array;
  readonly header: Uint8Array;
  readonly sealed: Uint8Array;
}

function readParams(document: Record<string, unknown>): EnteParams | string {
  const kdf = isRecord(document.kdfParams) ? document.kdfParams : {};
  const { memLimit, opsLimit } = kdf;
  const whole = (value: unknown, min: number, max: number): value is number =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
  if (!whole(memLimit, MIN_MEMORY_BYTES, MAX_MEMORY_BYTES) || !whole(opsLimit, 1, MAX_OPS)) {
    return 'the Argon2id memLimit or opsLimit is out of range';
  }
  const salt = decodeBase64(kdf.salt);
  const header = decodeBase64(document.encryptionNonce);
  const sealed = decodeBase64(document.encryptedData);
  if (salt?.length !== 16 || header?.length !== 24 || sealed === null) {
    return 'the salt, nonce or encrypted data is not what Ente Auth writes';
  }
  return { memLimit, opsLimit, salt, header, sealed };
}
