import { encodeBase32 } from '../encoding.js';
import { fromBase64 } from './decoders/legacy-ciphers.js';
import { readSqliteTables, sqliteMentions, type SqlRow } from './decoders/sqlite-database.js';
import type { ImportFormatSpec, ImportOptions, ImportOutcome, ImportSource } from './format-spec.js';
import { entriesOutcome, entryItem, position, refusedItem, unsupportedOutcome } from './format-items.js';
import type { ImportItem } from './import-item.js';

const FORMAT = 'microsoft-authenticator';
const TOTP = 0;
/** A personal Microsoft account: the secret is base64 and the codes have 8 digits. */
const MICROSOFT_ACCOUNT = 1;

/**
 * Microsoft Authenticator's internal database (`/data/data/com.azure.authenticator/databases/
 * PhoneFactor`): SQLite, table `accounts` with `name` (the issuer), `username`, `oath_secret_key`
 * and `account_type`: 0 a third-party TOTP account (base32, 6 digits), 1 a personal Microsoft
 * account (base64, 8 digits). Other types are sign-in approvals without a code secret: they are
 * skipped and named in a warning.
 */
export const microsoftAuthenticatorFormat: ImportFormatSpec = {
  name: FORMAT,
  label: "Microsoft Authenticator (the app's internal SQLite database)",
  encryption: 'none',
  detect: (source) => sqliteMentions(source.bytes, ['create table accounts', 'oath_secret_key', 'account_type']),
  parse,
};

async function parse(source: ImportSource, options: ImportOptions): Promise<ImportOutcome> {
  const tables = await readSqliteTables(source.bytes, ['accounts'], options.sqlite);
  const rows = tables?.get('accounts');
  if (rows === undefined) {
    return unsupportedOutcome(
      FORMAT,
      'the file is not a readable Microsoft Authenticator database (no accounts table)',
    );
  }
  const items: ImportItem[] = [];
  const skipped: string[] = [];
  for (const row of rows) {
    if (row.account_type === TOTP || row.account_type === MICROSOFT_ACCOUNT) {
      items.push(account(row, position(items.length)));
    } else {
      skipped.push(nameOf(row) ?? 'an unnamed account');
    }
  }
  const warnings =
    skipped.length === 0
      ? []
      : [`${String(skipped.length)} sign-in approval account(s) without a code secret skipped: ${skipped.join(', ')}`];
  return entriesOutcome(FORMAT, items, warnings);
}

function account(row: SqlRow, at: string): ImportItem {
  if (row.account_type === TOTP) {
    return entryItem(at, { secret: row.oath_secret_key, issuer: row.name, account: row.username });
  }
  const bytes = typeof row.oath_secret_key === 'string' ? fromBase64(row.oath_secret_key) : null;
  if (bytes === null || bytes.length === 0) return refusedItem(at, 'the secret is not base64', nameOf(row));
  return entryItem(at, { secret: encodeBase32(bytes), issuer: row.name, account: row.username, digits: 8 });
}

function nameOf(row: SqlRow): string | null {
  const name = [row.name, row.username].filter((part) => typeof part === 'string' && part !== '').join(':');
  return name === '' ? null : name;
}
