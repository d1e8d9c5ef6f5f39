import { buildEntry, type BuiltEntry } from './entry-builder.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';
import { parseOtpauthUri } from './otpauth-uri.js';

/** Whether a parsed JSON document is a Bitwarden JSON export: `{ encrypted, items: [...] }`. */
export function isBitwardenExport(document: unknown): document is Record<string, unknown> {
  return isRecord(document) && Array.isArray(document.items) && 'encrypted' in document;
}

/**
 * The TOTP entries of an unencrypted Bitwarden JSON export: `items[].login.totp` holds an
 * `otpauth://` URI, a bare base32 secret (TOTP, SHA1, 6 digits, 30 s) or `steam://SECRET`. Items
 * without one are not 2FA entries and are ignored. The item's name is the issuer and the login's
 * username the account, unless the URI names them.
 */
export function parseBitwarden(document: Record<string, unknown>): ImportItem[] {
  const items = Array.isArray(document.items) ? document.items : [];
  const found: ImportItem[] = [];
  items.forEach((item: unknown, index) => {
    if (!isRecord(item) || !isRecord(item.login)) return;
    const totp = item.login.totp;
    if (typeof totp !== 'string' || totp.trim() === '') return;
    const issuer = typeof item.name === 'string' ? item.name.trim() : '';
    const username = typeof item.login.username === 'string' ? item.login.username.trim() : '';
    const label = itemLabel(`item ${String(index + 1)}`, issuer || username);
    const built = fromTotpField(totp.trim(), issuer, username);
    found.push(built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem });
  });
  return found;
}

function fromTotpField(totp: string, issuer: string, account: string): BuiltEntry {
  if (/^otpauth:/i.test(totp)) {
    const parsed = parseOtpauthUri(totp);
    if (!parsed.ok || parsed.entry.issuer !== undefined || parsed.entry.name !== null) return parsed;
    // A URI without a label: name it after the Bitwarden item.
    const { secret, type, algorithm, digits, period, counter } = parsed.entry;
    return buildEntry({ secret, type, algorithm, digits, period, counter, issuer, account });
  }
  const steam = /^steam:\/\//i.exec(totp);
  return buildEntry({
    secret: steam ? totp.slice(steam[0].length) : totp,
    issuer,
    account,
    type: steam ? 'steam' : 'totp',
  });
}
