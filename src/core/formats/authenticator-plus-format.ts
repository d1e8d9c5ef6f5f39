import { isSqlite } from './decoders/sqlite-database.js';
import { isZip, ZipArchive } from './decoders/zip-archive.js';
import type { ImportFormatSpec, ImportOptions, ImportOutcome, ImportSource } from './format-spec.js';
import { entriesOutcome, unsupportedOutcome } from './format-items.js';
import { itemLabel, type ImportItem } from './import-item.js';
import { parseOtpauthUri } from './otpauth-uri.js';

const FORMAT = 'authenticator-plus';
const ACCOUNTS = 'Accounts.txt';
const BACKUP_DATABASE = /(^|[\\/])\.?(synced_)?authplus\.db$/i;

export const AUTHENTICATOR_PLUS_SQLCIPHER_MESSAGE =
  "Authenticator Plus's backup database (authplus.db) is encrypted with SQLCipher, which no well-kept " +
  'JavaScript library reads: in Authenticator Plus, use Settings → Backup & Restore → Export as Text and ' +
  'HTML, and import the password-protected ZIP it writes';

/**
 * Authenticator Plus's export: a password-protected ZIP holding `Accounts.txt` (one `otpauth://`
 * URI per line) beside an HTML page of QR codes. Both ZIP encryptions are read (WinZip AES and the
 * traditional one). The app's backup database, `authplus.db`, is SQLCipher: it is recognised by its
 * name and refused with what to do instead.
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
      ? unsupportedOutcome(FORMAT, AUTHENTICATOR_PLUS_SQLCIPHER_MESSAGE)
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
