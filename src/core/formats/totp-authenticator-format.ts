import { encodeBase32 } from '../encoding.js';
import { aesCbcDecrypt, fromBase64, fromHex, sha256 } from './decoders/legacy-ciphers.js';
import { hasSharedPref, parseSharedPrefs } from './decoders/shared-prefs-xml.js';
import type { ImportFormatSpec, ImportOptions, ImportOutcome, ImportSource } from './format-spec.js';
import { entriesOutcome, entryItem, position, refusedItem, unsupportedOutcome } from './format-items.js';
import { isRecord, type ImportItem } from './import-item.js';

const FORMAT = 'totp-authenticator';
const PREF_KEY = 'STATIC_TOTP_CODES_LIST';
/** The password the app encrypts a backup with when the person sets none. */
export const TOTP_AUTHENTICATOR_DEFAULT_PASSWORD = 'TotpAuthenticator';
const ZERO_IV = new Uint8Array(16);

/**
 * TOTP Authenticator (com.authenticator.authservice2): its backup, base64 of AES-256-CBC (zero IV,
 * PKCS #7) under the SHA-256 of the password, holding a JSON object whose first key is the JSON
 * text of the list of entries; and its internal `TOTP_Authenticator_Preferences.xml`, the same
 * list under `STATIC_TOTP_CODES_LIST`. Each entry has `key` in `base` 16, 32 or 64, `name` and
 * `issuer`; the codes are TOTP, SHA1, 6 digits, 30 seconds. Without a password given, the app's
 * built-in default is tried, as a backup made without one uses it.
 */
export const totpAuthenticatorFormat: ImportFormatSpec = {
  name: FORMAT,
  label: 'TOTP Authenticator (encrypted backup, or its preferences XML)',
  encryption: 'optional',
  detect: (source) => hasSharedPref(source.text, PREF_KEY) || backupBytes(source) !== null,
  parse,
};

async function parse(source: ImportSource, options: ImportOptions): Promise<ImportOutcome> {
  if (hasSharedPref(source.text, PREF_KEY)) {
    const list = source.text === null ? undefined : parseSharedPrefs(source.text)?.get(PREF_KEY);
    return fromList(list === undefined ? undefined : parseJson(list));
  }
  const data = backupBytes(source);
  if (data === null)
    return unsupportedOutcome(FORMAT, 'the file is neither a TOTP Authenticator backup nor its preferences');
  const passwords = [
    ...(options.password === undefined ? [] : [options.password]),
    TOTP_AUTHENTICATOR_DEFAULT_PASSWORD,
  ];
  for (const password of passwords) {
    const plain = await aesCbcDecrypt(await sha256(new TextEncoder().encode(password)), ZERO_IV, data);
    const document = plain === null ? undefined : parseJson(new TextDecoder().decode(plain));
    if (!isRecord(document)) continue;
    const first = Object.keys(document)[0];
    return fromList(first === undefined ? [] : parseJson(first));
  }
  return { kind: options.password === undefined ? 'password-needed' : 'wrong-password', format: FORMAT };
}

function fromList(list: unknown): ImportOutcome {
  if (!Array.isArray(list)) return unsupportedOutcome(FORMAT, 'the file has no readable list of entries');
  return entriesOutcome(
    FORMAT,
    (list as unknown[]).map((entry, index): ImportItem => {
      const at = position(index);
      if (!isRecord(entry)) return refusedItem(at, 'not a TOTP Authenticator entry');
      const secret = decodeKey(entry.key, entry.base);
      if (secret === null) {
        const name = [entry.issuer, entry.name].filter((part) => typeof part === 'string' && part !== '').join(':');
        return refusedItem(at, `the key is not base ${String(entry.base)} text`, name === '' ? null : name);
      }
      return entryItem(at, { secret, issuer: entry.issuer, account: entry.name });
    }),
  );
}

/** The key in base32 for `buildEntry`, or `null` when it is not text in its stated base. */
function decodeKey(key: unknown, base: unknown): string | null {
  if (typeof key !== 'string') return null;
  const number = typeof base === 'string' ? Number(base) : base;
  if (number === 32) return key;
  const bytes = number === 16 ? fromHex(key) : number === 64 ? fromBase64(key) : null;
  return bytes === null || bytes.length === 0 ? null : encodeBase32(bytes);
}

/** A backup is base64 text alone, of whole AES blocks. */
function backupBytes(source: ImportSource): Uint8Array | null {
  const text = source.text?.trim();
  if (text === undefined || text.length < 44 || !/^[A-Za-z0-9+/\s]+={0,2}$/.test(text)) return null;
  const bytes = fromBase64(text);
  return bytes !== null && bytes.length >= 32 && bytes.length % 16 === 0 ? bytes : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
