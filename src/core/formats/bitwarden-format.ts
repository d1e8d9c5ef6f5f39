import { buildEntry, type BuiltEntry } from './entry-builder.js';
import type { ImportFormatSpec } from './format-spec.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import { parseOtpauthUri } from './otpauth-uri.js';
import { damagedOutcome, entriesOutcome, unsupportedOutcome } from './format-items.js';

/** Whether a parsed JSON document is a Bitwarden JSON export: `{ encrypted, items: [...] }`. */
export function isBitwardenExport(document: unknown): document is Record<string, unknown> {
  return isRecord(document) && 'encrypted' in document && (Array.isArray(document.items) || 'data' in document);
}

/**
 * The TOTP entries of an unencrypted Bitwarden JSON export: `items[].login.totp` holds an
 * `otpauth://` URI, a bare base32 secret (TOTP, SHA1, 6 digits, 30 s) or `steam://SECRET`. Items
 * without one are not 2FA entries and are ignored. The item's name is the issuer and the login's
 * username the account, unless the URI names them; `notes`, `favorite` and the folder
 * (`folderId` of `folders[] { id, name }`) are kept.
 */
export function parseBitwarden(document: Record<string, unknown>): ImportItem[] {
  const items = Array.isArray(document.items) ? document.items : [];
  const folders = new Map<unknown, unknown>(
    (Array.isArray(document.folders) ? document.folders : [])
      .filter(isRecord)
      .map((folder) => [folder.id, folder.name]),
  );
  const found: ImportItem[] = [];
  items.forEach((item: unknown, index) => {
    if (!isRecord(item) || !isRecord(item.login)) return;
    const totp = item.login.totp;
    if (typeof totp !== 'string' || totp.trim() === '') return;
    const folder = item.folderId === null || item.folderId === undefined ? undefined : folders.get(item.folderId);
    const built = bitwardenTotp({
      totp,
      name: item.name,
      username: item.login.username,
      notes: item.notes,
      favorite: item.favorite,
      folder,
    });
    const label = itemLabel(`item ${String(index + 1)}`, built.label);
    found.push(
      built.result.ok
        ? { ok: true, label, entry: built.result.entry }
        : { ok: false, label, problem: built.result.problem },
    );
  });
  return found;
}

/** One Bitwarden login with a TOTP field, as the JSON and the CSV exports hold it. */
export interface BitwardenLogin {
  readonly totp: string;
  readonly name: unknown;
  readonly username: unknown;
  readonly notes?: unknown;
  readonly favorite?: unknown;
  readonly folder?: unknown;
}

/** The entry of one login, and the name that labels it in a report. */
export function bitwardenTotp(login: BitwardenLogin): { readonly label: string; readonly result: BuiltEntry } {
  const issuer = typeof login.name === 'string' ? login.name.trim() : '';
  const account = typeof login.username === 'string' ? login.username.trim() : '';
  const extras = {
    note: login.notes,
    favorite: login.favorite,
    groups: typeof login.folder === 'string' && login.folder !== '' ? [login.folder] : undefined,
  };
  const totp = login.totp.trim();
  return { label: issuer || account, result: fromTotpField(totp, issuer, account, extras) };
}

function fromTotpField(
  totp: string,
  issuer: string,
  account: string,
  extras: { note: unknown; favorite: unknown; groups: string[] | undefined },
): BuiltEntry {
  if (/^otpauth:/i.test(totp)) {
    const parsed = parseOtpauthUri(totp);
    if (!parsed.ok) return parsed;
    const { secret, type, algorithm, digits, period, counter } = parsed.entry;
    // A URI without a label is named after the Bitwarden item.
    const named = parsed.entry.issuer !== undefined || parsed.entry.name !== null;
    const parts = named
      ? { issuer: parsed.entry.issuer, account: parsed.entry.account ?? parsed.entry.name }
      : { issuer, account };
    const note = extras.note ?? parsed.entry.note;
    return buildEntry({ secret, type, algorithm, digits, period, counter, ...parts, ...extras, note });
  }
  const steam = /^steam:\/\//i.exec(totp);
  return buildEntry({
    secret: steam ? totp.slice(steam[0].length) : totp,
    issuer,
    account,
    type: steam ? 'steam' : 'totp',
    ...extras,
  });
}

/**
 * Bitwarden's JSON export: unencrypted, or password-protected (the KDF of the account, PBKDF2 or
 * Argon2id, stretched with HKDF into AES-256-CBC and HMAC-SHA256 keys). The account-restricted
 * encrypted export can only be read by Bitwarden itself, with that account.
 */
export const bitwardenFormat: ImportFormatSpec = {
  name: 'bitwarden',
  label: 'Bitwarden (JSON, unencrypted or password-protected)',
  encryption: 'optional',
  detect: (source) => isBitwardenExport(jsonOf(source)),
  async parse(source, options) {
    const document = jsonOf(source);
    if (!isBitwardenExport(document)) return damagedOutcome('bitwarden', 'not a Bitwarden export');
    if (document.encrypted === false) return entriesOutcome('bitwarden', parseBitwarden(document));
    if (document.passwordProtected !== true) {
      return unsupportedOutcome(
        'bitwarden',
        'an "account restricted" Bitwarden export can only be read by Bitwarden with the account that made it: export again as "password protected" or unencrypted',
      );
    }
    if (options.password === undefined) return { kind: 'password-needed', format: 'bitwarden' };
    const { decryptBitwardenExport } = await import('./bitwarden-crypto.js');
    const opened = await decryptBitwardenExport(document, options.password);
    if (opened.kind === 'wrong-password') return { kind: 'wrong-password', format: 'bitwarden' };
    if (opened.kind === 'damaged') return damagedOutcome('bitwarden', opened.why);
    if (!isRecord(opened.document)) return damagedOutcome('bitwarden', 'the decrypted data is not an export');
    return entriesOutcome('bitwarden', parseBitwarden(opened.document));
  },
};
