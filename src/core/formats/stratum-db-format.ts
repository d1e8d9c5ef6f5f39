import { decryptSqlcipher, SQLCIPHER_3, SQLCIPHER_4 } from './decoders/sqlcipher-database.js';
import { isSqlite, readSqliteTables, sqliteMentions, type SqlRow } from './decoders/sqlite-database.js';
import type { ImportFormatSpec, ImportOptions, ImportOutcome, ImportSource } from './format-spec.js';
import { entriesOutcome, entryItem, position, unsupportedOutcome } from './format-items.js';
import type { ImportItem } from './import-item.js';

const FORMAT = 'stratum-db';
const TYPES: Readonly<Record<number, string>> = { 1: 'hotp', 2: 'totp', 3: 'motp', 4: 'steam', 5: 'yandex' };
const ALGORITHMS: Readonly<Record<number, string>> = { 0: 'SHA1', 1: 'SHA256', 2: 'SHA512' };
/** The database's name in Stratum (`databases/`) and in Authenticator Pro before it (`files/`). */
const DATABASE_NAMES = /(^|[\\/])(authenticator|proauth)\.db3$/i;

/**
 * Stratum's (formerly Authenticator Pro's) internal database, `authenticator.db3` (`proauth.db3`):
 * SQLite, table `authenticator` with `type` (1 HOTP, 2 TOTP, 4 Steam; 3 mOTP and 5 Yandex are not
 * RFC codes), `issuer`, `username`, `secret` (base32), `algorithm` (0 SHA1, 1 SHA256, 2 SHA512),
 * `digits`, `period`, `counter`; categories in `category` (`id`, `name`) bound to entries by
 * secret in `authenticatorcategory`. With an app password set the file is SQLCipher 4 (its defaults,
 * keyed with the password; sqlite-net-sqlcipher): it is recognised by its name only (its bytes are
 * random) and decrypted with the password into the same SQLite file.
 */
export const stratumDbFormat: ImportFormatSpec = {
  name: FORMAT,
  label: "Stratum / Authenticator Pro (the app's internal SQLite database)",
  encryption: 'optional',
  detect: (source) =>
    sqliteMentions(source.bytes, ['authenticator', 'username', 'secret', 'algorithm', 'digits', 'period']) ||
    (DATABASE_NAMES.test(source.fileName) && !isSqlite(source.bytes)),
  parse,
};

async function parse(source: ImportSource, options: ImportOptions): Promise<ImportOutcome> {
  let bytes = source.bytes;
  if (!isSqlite(bytes)) {
    if (options.password === undefined) return { kind: 'password-needed', format: FORMAT };
    const opened = await decryptSqlcipher(bytes, options.password, [SQLCIPHER_4, SQLCIPHER_3]);
    if (opened.kind === 'wrong-password') return { kind: 'wrong-password', format: FORMAT };
    if (opened.kind === 'damaged')
      return unsupportedOutcome(FORMAT, `the encrypted database is damaged: ${opened.reason}`);
    bytes = opened.bytes;
  }
  const tables = await readSqliteTables(bytes, ['authenticator', 'category', 'authenticatorcategory'], options.sqlite);
  const rows = tables?.get('authenticator');
  if (tables === null || rows === undefined) {
    return unsupportedOutcome(FORMAT, 'the file is not a readable Stratum database (no authenticator table)');
  }
  const groups = groupsBySecret(tables.get('category') ?? [], tables.get('authenticatorcategory') ?? []);
  return entriesOutcome(
    FORMAT,
    rows.map((row, index) => authenticator(row, position(index), groups)),
  );
}

function authenticator(row: SqlRow, at: string, groups: ReadonlyMap<string, string[]>): ImportItem {
  const type = typeof row.type === 'number' ? (TYPES[row.type] ?? `type ${String(row.type)}`) : row.type;
  const algorithm =
    typeof row.algorithm === 'number'
      ? (ALGORITHMS[row.algorithm] ?? `algorithm ${String(row.algorithm)}`)
      : row.algorithm;
  return entryItem(at, {
    secret: row.secret,
    issuer: row.issuer,
    account: row.username,
    type,
    algorithm,
    digits: type === 'steam' ? undefined : row.digits,
    period: type === 'hotp' ? undefined : row.period,
    counter: type === 'hotp' ? row.counter : undefined,
    groups: typeof row.secret === 'string' ? groups.get(row.secret) : undefined,
  });
}

/** Category names per entry secret, in the order of the bindings' ranking. */
function groupsBySecret(categories: readonly SqlRow[], bindings: readonly SqlRow[]): Map<string, string[]> {
  const names = new Map(categories.map((row) => [String(row.id), typeof row.name === 'string' ? row.name : '']));
  const sorted = [...bindings].sort((a, b) => Number(a.ranking ?? 0) - Number(b.ranking ?? 0));
  const groups = new Map<string, string[]>();
  for (const binding of sorted) {
    const name = names.get(String(binding.categoryid));
    if (name === undefined || typeof binding.authenticatorsecret !== 'string') continue;
    groups.set(binding.authenticatorsecret, [...(groups.get(binding.authenticatorsecret) ?? []), name]);
  }
  return groups;
}
