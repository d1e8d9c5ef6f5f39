import { readSqliteTables, sqliteMentions, type SqlRow } from './decoders/sqlite-database.js';
import type { ImportFormatSpec, ImportOptions, ImportOutcome, ImportSource } from './format-spec.js';
import { entriesOutcome, entryItem, position, refusedItem, unsupportedOutcome } from './format-items.js';

const FORMAT = 'google-authenticator-db';
const TYPES: Readonly<Record<number, string>> = { 0: 'totp', 1: 'hotp' };

/**
 * Google Authenticator's internal database (`/data/data/com.google.android.apps.authenticator2/
 * databases/databases`, read from a rooted phone or a backup): SQLite, table `accounts` with
 * `email` (the account, sometimes `Issuer:account`), `secret` (base32), `type` (0 TOTP, 1 HOTP),
 * `counter` and `issuer`; codes are SHA1, 6 digits, 30 seconds. Newer versions may set
 * `isencrypted`, where the secret is sealed by the phone's keystore and cannot be read here.
 */
export const googleAuthenticatorDbFormat: ImportFormatSpec = {
  name: FORMAT,
  label: "Google Authenticator (the app's internal SQLite database)",
  encryption: 'none',
  detect: (source) => sqliteMentions(source.bytes, ['create table accounts', 'email', 'secret', 'original_name']),
  parse,
};

async function parse(source: ImportSource, options: ImportOptions): Promise<ImportOutcome> {
  const tables = await readSqliteTables(source.bytes, ['accounts'], options.sqlite);
  const rows = tables?.get('accounts');
  if (rows === undefined) {
    return unsupportedOutcome(FORMAT, 'the file is not a readable Google Authenticator database (no accounts table)');
  }
  return entriesOutcome(
    FORMAT,
    rows.map((row, index) => account(row, position(index))),
  );
}

function account(row: SqlRow, at: string): ReturnType<typeof entryItem> {
  const email = typeof row.email === 'string' ? row.email : '';
  const parts = email.split(':');
  const issuer = typeof row.issuer === 'string' && row.issuer !== '' ? row.issuer : parts.length === 2 ? parts[0] : '';
  const accountName = parts.length === 2 ? (parts[1] ?? '') : email;
  if (typeof row.isencrypted === 'number' && row.isencrypted > 0) {
    const name = [issuer, accountName].filter((part) => part !== '' && part !== undefined).join(':');
    return refusedItem(
      at,
      'Google Authenticator encrypted this secret with the phone’s keystore: export it from the app as a transfer QR code instead',
      name === '' ? null : name,
    );
  }
  const type = typeof row.type === 'number' ? (TYPES[row.type] ?? `type ${String(row.type)}`) : row.type;
  return entryItem(at, {
    secret: row.secret,
    issuer,
    account: accountName,
    type,
    counter: type === 'hotp' ? row.counter : undefined,
  });
}
