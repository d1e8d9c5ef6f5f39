import { encodeBase32, normalizeBase32 } from '../encoding.js';
import { aesCbcDecrypt, fromBase64, fromHex, pbkdf2 } from './decoders/legacy-ciphers.js';
import { hasSharedPref, parseSharedPrefs } from './decoders/shared-prefs-xml.js';
import type { ImportFormatSpec, ImportOutcome, ImportSource } from './format-spec.js';
import { entriesOutcome, entryItem, position, refusedItem, unsupportedOutcome } from './format-items.js';
import { isRecord, type ImportItem } from './import-item.js';

const FORMAT = 'authy';
/** Third-party (Google Authenticator compatible) tokens and Authy's own tokens live in two files. */
const KEYS = ['com.authy.storage.tokens.authenticator.key', 'com.authy.storage.tokens.authy.key'];
const ITERATIONS = 1000;
const ZERO_IV = new Uint8Array(16);
/** Authy's own tokens change every 10 seconds. */
const AUTHY_PERIOD = 10;

/**
 * Authy's shared preferences (`com.authy.storage.tokens.authenticator.xml` and `….authy.xml`): a
 * JSON list of tokens under `<file>.key`. A third-party token has `decryptedSecret` (base32) or,
 * when Authy's backups password protects them, `encryptedSecret` (base64) and a `salt`: the key is
 * PBKDF2-HMAC-SHA1 of the backup password over the salt's UTF-8, 1000 iterations, 32 bytes, for
 * AES-256-CBC with a zero IV and PKCS #7 padding. An Authy token has `secretSeed` in hex and
 * 10-second codes. Names: `originalIssuer`, else the issuer in `originalName` (`Issuer:account`) or
 * in `name` (`Issuer - account`), else the `accountType`.
 */
export const authyFormat: ImportFormatSpec = {
  name: FORMAT,
  label: 'Authy (shared-preferences XML, plain or with encrypted secrets)',
  encryption: 'optional',
  detect: (source) => KEYS.some((key) => hasSharedPref(source.text, key)),
  parse,
};

async function parse(source: ImportSource, options: { readonly password?: string }): Promise<ImportOutcome> {
  const prefs = source.text === null ? null : parseSharedPrefs(source.text);
  const listed = KEYS.map((key) => prefs?.get(key)).find((value) => value !== undefined);
  const tokens = listed === undefined ? undefined : parseJson(listed);
  if (!Array.isArray(tokens)) return unsupportedOutcome(FORMAT, 'the file has no readable list of Authy tokens');
  const encrypted = tokens.some((token) => isRecord(token) && typeof token.encryptedSecret === 'string');
  if (encrypted && options.password === undefined) return { kind: 'password-needed', format: FORMAT };
  const items: ImportItem[] = [];
  let opened = false;
  for (const [index, token] of (tokens as unknown[]).entries()) {
    const at = position(index);
    if (!isRecord(token)) {
      items.push(refusedItem(at, 'not an Authy token'));
      continue;
    }
    const names = tokenNames(token);
    let secret: string | null | undefined;
    if (typeof token.secretSeed === 'string') {
      const seed = fromHex(token.secretSeed);
      secret = seed === null || seed.length === 0 ? null : encodeBase32(seed);
    } else if (typeof token.encryptedSecret === 'string') {
      secret = await decryptSecret(token.encryptedSecret, token.salt, options.password ?? '');
      // The first secret tells a wrong password from one damaged entry.
      if (secret === null && !opened) return { kind: 'wrong-password', format: FORMAT };
      opened ||= secret !== null;
    } else {
      secret = typeof token.decryptedSecret === 'string' ? token.decryptedSecret : undefined;
    }
    if (secret === null) {
      items.push(refusedItem(at, 'the secret does not decrypt or decode', nameOf(names)));
      continue;
    }
    const authy = typeof token.secretSeed === 'string';
    items.push(
      entryItem(at, {
        secret,
        ...names,
        digits: token.digits,
        ...(authy ? { period: AUTHY_PERIOD } : {}),
      }),
    );
  }
  return entriesOutcome(FORMAT, items);
}

async function decryptSecret(encrypted: string, salt: unknown, password: string): Promise<string | null> {
  const data = fromBase64(encrypted);
  if (data === null || typeof salt !== 'string') return null;
  const key = await pbkdf2(password, new TextEncoder().encode(salt), ITERATIONS, 'SHA-1', 32);
  const plain = await aesCbcDecrypt(key, ZERO_IV, data);
  const text = plain === null ? null : new TextDecoder().decode(plain);
  // A wrong key passes the padding check about once in 256: the text must be base32 as well.
  return text !== null && normalizeBase32(text) !== null ? text : null;
}

function tokenNames(token: Record<string, unknown>): { issuer: string; account: string } {
  const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
  const name = text(token.name);
  if (typeof token.secretSeed === 'string') return { issuer: name, account: '' };
  const originalName = text(token.originalName);
  const accountType = text(token.accountType);
  const issuer =
    text(token.originalIssuer) ||
    (originalName.includes(':') ? originalName.slice(0, originalName.indexOf(':')).trim() : '') ||
    (name.includes(' - ') ? name.slice(0, name.indexOf(' - ')).trim() : '') ||
    accountType.charAt(0).toUpperCase() + accountType.slice(1);
  let account = name;
  for (const separator of [':', ' - ']) {
    if (issuer !== '' && account.startsWith(issuer + separator))
      account = account.slice(issuer.length + separator.length);
  }
  return { issuer, account: account.replace(/^[:\s]+/, '').trim() };
}

function nameOf(names: { issuer: string; account: string }): string | null {
  const name = [names.issuer, names.account].filter((part) => part !== '').join(':');
  return name === '' ? null : name;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
