import { isJavaStream, readJavaStringMap } from './decoders/java-serialization.js';
import { aesGcmDecrypt, pbkdf2, type Pbkdf2Hash } from './decoders/legacy-ciphers.js';
import { hasSharedPref, parseSharedPrefs } from './decoders/shared-prefs-xml.js';
import type { ImportFormatSpec, ImportOutcome } from './format-spec.js';
import { entriesOutcome, position, refusedItem, unsupportedOutcome } from './format-items.js';
import { freeotpTokenItem, javaBytes } from './freeotp-token.js';
import { isRecord, type ImportItem } from './import-item.js';

const FORMAT = 'freeotp';
const MASTER_KEY = 'masterKey';
const TOKEN_SUFFIX = '-token';
const KDFS: Readonly<Record<string, Pbkdf2Hash>> = { pbkdf2withhmacsha1: 'SHA-1', pbkdf2withhmacsha512: 'SHA-512' };
/** FreeOTP uses 100 000; a file asking for far more would make opening it a denial of service. */
const MAX_ITERATIONS = 10_000_000;

/**
 * FreeOTP: the `shared_prefs/tokens.xml` of FreeOTP 1 (each token a JSON string under its
 * `issuer:label` name, beside `tokenOrder`), and the backup of FreeOTP 2, a Java-serialised
 * `HashMap<String, String>`: `masterKey` holds a random AES key wrapped with AES-GCM under
 * PBKDF2-HMAC-SHA512 (or SHA1) of the password; each token has its settings under `<uuid>-token`
 * and its secret under `<uuid>`, AES-GCM-encrypted with the master key. Each `mParameters` is the
 * DER of the GCM parameters (RFC 5084: the nonce, the tag length) and `mToken` is the associated data.
 */
export const freeotpFormat: ImportFormatSpec = {
  name: FORMAT,
  label: 'FreeOTP (tokens.xml, or the encrypted FreeOTP 2 backup)',
  encryption: 'optional',
  detect: (source) => isJavaStream(source.bytes) || hasSharedPref(source.text, 'tokenOrder'),
  parse: (source, options) =>
    isJavaStream(source.bytes)
      ? parseBackup(source.bytes, options.password)
      : Promise.resolve(parseTokensXml(FORMAT, source.text)),
};

/** The tokens of a FreeOTP tokens.xml, in `tokenOrder` order (FreeOTP+ keeps the same file). */
export function parseTokensXml(format: string, text: string | null): ImportOutcome {
  const prefs = text === null ? null : parseSharedPrefs(text);
  if (prefs === null) return unsupportedOutcome(format, 'the file is not a readable tokens.xml');
  const order = listedOrder(prefs.get('tokenOrder'));
  const names = [...new Set([...order.filter((name) => prefs.has(name)), ...prefs.keys()])].filter(
    (name) => name !== 'tokenOrder',
  );
  const items = names.map((name, index): ImportItem => {
    const token = parseJson(prefs.get(name) ?? '');
    return token === undefined
      ? refusedItem(position(index), 'the token is not valid JSON', name)
      : freeotpTokenItem(position(index), token);
  });
  return entriesOutcome(format, items);
}

function listedOrder(text: string | undefined): string[] {
  const order = text === undefined ? undefined : parseJson(text);
  return Array.isArray(order) ? order.filter((name): name is string => typeof name === 'string') : [];
}

async function parseBackup(bytes: Uint8Array, password: string | undefined): Promise<ImportOutcome> {
  const pairs = readJavaStringMap(bytes);
  if (pairs === null) return unsupportedOutcome(FORMAT, 'the FreeOTP backup is damaged (not a serialised map of text)');
  const values = new Map(pairs);
  const masterKey = parseJson(values.get(MASTER_KEY) ?? '');
  if (!isRecord(masterKey) || !isRecord(masterKey.mEncryptedKey)) {
    return unsupportedOutcome(FORMAT, 'the FreeOTP backup has no readable master key');
  }
  const hash = typeof masterKey.mAlgorithm === 'string' ? KDFS[masterKey.mAlgorithm.toLowerCase()] : undefined;
  const salt = javaBytes(masterKey.mSalt);
  const iterations = masterKey.mIterations;
  if (hash === undefined || salt === null || !isIterationCount(iterations)) {
    return unsupportedOutcome(FORMAT, 'the FreeOTP backup uses a key derivation open2fa does not know');
  }
  if (password === undefined) return { kind: 'password-needed', format: FORMAT };
  const passwordKey = await pbkdf2(password, salt, iterations, hash, salt.length);
  const master = await unwrap(masterKey.mEncryptedKey, passwordKey);
  if (master === 'damaged') return unsupportedOutcome(FORMAT, 'the FreeOTP master key is damaged');
  if (master === null) return { kind: 'wrong-password', format: FORMAT };
  const items: ImportItem[] = [];
  for (const [name, value] of pairs) {
    if (name === MASTER_KEY || name.endsWith(TOKEN_SUFFIX)) continue;
    items.push(await backupToken(position(items.length), value, values.get(name + TOKEN_SUFFIX), master));
  }
  for (const [name] of pairs) {
    if (name.endsWith(TOKEN_SUFFIX) && !values.has(name.slice(0, -TOKEN_SUFFIX.length))) {
      const token = parseJson(values.get(name) ?? '');
      items.push(refusedItem(position(items.length), 'the secret of this token is missing', tokenName(token)));
    }
  }
  return entriesOutcome(FORMAT, items);
}

async function backupToken(
  at: string,
  keyText: string | null,
  tokenText: string | null | undefined,
  master: Uint8Array,
): Promise<ImportItem> {
  const token = tokenText === null || tokenText === undefined ? undefined : parseJson(tokenText);
  const name = tokenName(token);
  if (!isRecord(token)) return refusedItem(at, 'the settings of this token are missing or damaged', name);
  const holder = parseJson(keyText ?? '');
  const encrypted = isRecord(holder) && typeof holder.key === 'string' ? parseJson(holder.key) : undefined;
  const secret = await unwrap(encrypted, master);
  if (secret === 'damaged' || secret === null)
    return refusedItem(at, 'the secret of this token does not decrypt', name);
  return freeotpTokenItem(at, token, secret);
}

/**
 * Decrypts one `EncryptedKey` (`mCipher` AES/GCM/NoPadding, `mCipherText`, `mParameters`,
 * `mToken`): the key bytes, `null` when it does not authenticate, `damaged` when it cannot be read.
 */
async function unwrap(encrypted: unknown, key: Uint8Array): Promise<Uint8Array | null | 'damaged'> {
  if (!isRecord(encrypted) || encrypted.mCipher !== 'AES/GCM/NoPadding' || typeof encrypted.mToken !== 'string') {
    return 'damaged';
  }
  const ciphertext = javaBytes(encrypted.mCipherText);
  const parameters = javaBytes(encrypted.mParameters);
  const gcm = parameters === null ? null : gcmParameters(parameters);
  if (ciphertext === null || gcm === null || ![16, 24, 32].includes(key.length)) return 'damaged';
  const aad = new TextEncoder().encode(encrypted.mToken);
  return aesGcmDecrypt(key, gcm.nonce, ciphertext, aad, gcm.tagBytes);
}

/**
 * `GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen INTEGER DEFAULT 12 }` (RFC 5084
 * §3.2), as Java's `AlgorithmParameters.getEncoded()` writes it; a bare OCTET STRING is accepted too.
 */
export function gcmParameters(der: Uint8Array): { nonce: Uint8Array; tagBytes: number } | null {
  const outer = derElement(der, 0);
  if (outer === null) return null;
  if (outer.tag === 0x04) return { nonce: outer.content, tagBytes: 16 };
  if (outer.tag !== 0x30) return null;
  const nonce = derElement(outer.content, 0);
  if (nonce?.tag !== 0x04 || nonce.content.length === 0) return null;
  const tag = derElement(outer.content, nonce.end);
  if (tag === null) return { nonce: nonce.content, tagBytes: 12 };
  if (tag.tag !== 0x02 || tag.content.length !== 1) return null;
  const tagBytes = tag.content[0] ?? 0;
  return tagBytes >= 12 && tagBytes <= 16 ? { nonce: nonce.content, tagBytes } : null;
}

function derElement(bytes: Uint8Array, start: number): { tag: number; content: Uint8Array; end: number } | null {
  const tag = bytes[start];
  let length = bytes[start + 1];
  let offset = start + 2;
  if (tag === undefined || length === undefined) return null;
  if (length === 0x81) {
    length = bytes[offset];
    offset += 1;
    if (length === undefined) return null;
  } else if (length > 0x7f) {
    return null;
  }
  if (offset + length > bytes.length) return null;
  return { tag, content: bytes.subarray(offset, offset + length), end: offset + length };
}

function tokenName(token: unknown): string | null {
  if (!isRecord(token)) return null;
  const parts = [token.issuerAlt ?? token.issuerExt ?? token.issuerInt, token.labelAlt ?? token.label];
  const name = parts.filter((part) => typeof part === 'string' && part !== '').join(':');
  return name === '' ? null : name;
}

function isIterationCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= MAX_ITERATIONS;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
