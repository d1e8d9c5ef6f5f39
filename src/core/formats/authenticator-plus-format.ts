import { decryptSqlcipher, SQLCIPHER_3, SQLCIPHER_4 } from './decoders/sqlcipher-database.js';
import { isSqlite, readSqliteTables, type SqlRow } from './decoders/sqlite-database.js';
import { isZip, ZipArchive } from './decoders/zip-archive.js';
import type { ImportFormatSpec, ImportOptions, ImportOutcome, ImportSource } from './format-spec.js';
import { entriesOutcome, entryItem, position, unsupportedOutcome } from './format-items.js';
import { itemLabel, type ImportItem } from './import-item.js';
import { parseOtpauthUri } from './otpauth-uri.js';

const FORMAT = 'authenticator-plus';
const ACCOUNTS = 'Accounts.txt';
const BACKUP_DATABASE = /(^|[\\/])\.?(synced_)?authplus\.db$/i;

const TYPES: Readonly<Record<number, string>> = { 0: 'totp', 1: 'hotp' };

/**
 * Authenticator Plus's export: a password-protected ZIP holding `Accounts.txt` (one `otpauth://`
 * URI per line) beside an HTML page of QR codes. Both ZIP encryptions are read (WinZip AES and the
 * traditional one). The app's backup database, `authplus.db`, is SQLCipher 3 (its defaults: 1024-byte
 * pages, PBKDF2-HMAC-SHA1 64 000 rounds, keyed with the master password), recognised by its name and
 * decrypted with the password; its `accounts` table is Google Authenticator's (`email`, `secret`,
 * `issuer`, `type` 0 TOTP / 1 HOTP, `counter`).
 */
export const authenticatorPlusFormat: ImportFormatSpec = {
  name: FORMAT,
  label: 'Authenticator Plus (password-protected export ZIP)',
  encryption: 'always',
  detect: (source) =>
    accountsMember(source) !== undefined || (BACKUP_DATABASE.test(source.fileName) && !isSqlite(source.bytes)),
  parse,
};

function accountsMember(source: ImportSource): string | undefined {
  if (!isZip(source.bytes)) return undefined;
  const archive = ZipArchive.open(source.bytes);
  return archive?.members.find((member) => member.name.split('/').pop() === ACCOUNTS)?.name;
}

async function parse(source: ImportSource, options: ImportOptions): Promise<ImportOutcome> {
  if (!isZip(source.bytes)) {
    return BACKUP_DATABASE.test(source.fileName)
      ? backupDatabase(source.bytes, options)
      : unsupportedOutcome(FORMAT, 'the file is not a ZIP archive');
  }
  const archive = ZipArchive.open(source.bytes);
  const member = accountsMember(source);
  if (archive === null || member === undefined) {
    return unsupportedOutcome(FORMAT, `the archive is damaged or has no ${ACCOUNTS}`);
  }
  const read = await archive.read(member, options.password);
  switch (read.kind) {
    case 'password-needed':
    case 'wrong-password':
      return { kind: read.kind, format: FORMAT };
    case 'damaged':
      return unsupportedOutcome(FORMAT, `the archive is damaged: ${read.reason}`);
    case 'ok':
      break;
  }
  const text = new TextDecoder().decode(read.bytes).replace(/^\uFEFF/, '');
  const items: ImportItem[] = [];
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '') continue;
    const at = `line ${String(index + 1)}`;
    const built = parseOtpauthUri(line);
    const label = itemLabel(at, built.ok ? built.entry.name : null);
    items.push(built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem });
  }
  return entriesOutcome(FORMAT, items);
}

async function backupDatabase(bytes: Uint8Array, options: ImportOptions): Promise<ImportOutcome> {
  if (options.password === undefined) return { kind: 'password-needed', format: FORMAT };
  const opened = await decryptSqlcipher(bytes, options.password, [SQLCIPHER_3, SQLCIPHER_4]);
  if (opened.kind === 'wrong-password') return { kind: 'wrong-password', format: FORMAT };
  if (opened.kind === 'damaged') return unsupportedOutcome(FORMAT, `the backup database is damaged: ${opened.reason}`);
  const rows = (await readSqliteTables(opened.bytes, ['accounts'], options.sqlite))?.get('accounts');
  if (rows === undefined) return unsupportedOutcome(FORMAT, 'the backup database has no accounts table');
  return entriesOutcome(
    FORMAT,
    rows.map((row, index) => account(row, position(index))),
  );
}

function account(row: SqlRow, at: string): ImportItem {
  const type = typeof row.type === 'number' ? (TYPES[row.type] ?? `type ${String(row.type)}`) : 'totp';
  return entryItem(at, {
    secret: row.secret,
    issuer: row.issuer,
    account: row.email,
    type,
    counter: type === 'hotp' ? row.counter : undefined,
  });
}
