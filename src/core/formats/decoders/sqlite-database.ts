import type { SqlJsStatic } from 'sql.js';

/**
 * SQLite databases that apps keep their tokens in, read with sql.js (SQLite compiled to
 * WebAssembly), imported only when such a file is parsed. In Node, sql.js finds its
 * `sql-wasm.wasm` beside itself in node_modules; the page passes a loader that points at the copy
 * it serves from its own origin (and its CSP needs `'wasm-unsafe-eval'`).
 */
export interface SqliteLoader {
  /** sql.js's `locateFile`: the URL of `sql-wasm.wasm` (for example `/assets/sql-wasm.wasm`). */
  readonly locateFile?: (file: string) => string;
  /** Or the wasm bytes themselves. */
  readonly wasmBinary?: Uint8Array;
}

export type SqlValue = number | string | Uint8Array | null;
export type SqlRow = Readonly<Record<string, SqlValue>>;

const HEADER = 'SQLite format 3\0';
/** SQLite stores the schema's CREATE statements as text; apps' schemas sit well within this. */
const SCHEMA_SCAN_BYTES = 1 << 20;

/** Whether the bytes start with the SQLite 3 file header (fileformat2 §1.3.1). */
export function isSqlite(bytes: Uint8Array): boolean {
  if (bytes.length < 100) return false;
  for (let index = 0; index < HEADER.length; index++) {
    if (bytes[index] !== HEADER.charCodeAt(index)) return false;
  }
  return true;
}

/**
 * Whether a SQLite file's text mentions all these words (table and column names in its CREATE
 * statements): a cheap content check for `detect`, without loading sql.js.
 */
export function sqliteMentions(bytes: Uint8Array, words: readonly string[]): boolean {
  if (!isSqlite(bytes)) return false;
  let text = '';
  const end = Math.min(bytes.length, SCHEMA_SCAN_BYTES);
  for (let start = 0; start < end; start += 8192) {
    text += String.fromCharCode(...bytes.subarray(start, Math.min(end, start + 8192)));
  }
  const lower = text.toLowerCase();
  return words.every((word) => lower.includes(word.toLowerCase()));
}

let started: Promise<SqlJsStatic> | undefined;

/**
 * sql.js starts once per process or page (it keeps its first module itself), so the loader of the
 * first database read is the one used: the page passes the same one every time.
 */
function engine(loader: SqliteLoader): Promise<SqlJsStatic> {
  if (started === undefined) {
    const starting = import('sql.js').then(({ default: initSqlJs }) =>
      initSqlJs({
        ...(loader.locateFile === undefined ? {} : { locateFile: loader.locateFile }),
        ...(loader.wasmBinary === undefined ? {} : { wasmBinary: new Uint8Array(loader.wasmBinary).buffer }),
      }),
    );
    // A failed start (a wasm that is not where it was said to be) is retried next time.
    starting.catch(() => {
      if (started === starting) started = undefined;
    });
    started = starting;
  }
  return started;
}

/**
 * The rows of the named tables (a missing table gives no entry in the map), or `null` when the
 * bytes are not a readable SQLite database. The database is opened in memory and closed after.
 */
export async function readSqliteTables(
  bytes: Uint8Array,
  tables: readonly string[],
  loader: SqliteLoader = {},
): Promise<Map<string, SqlRow[]> | null> {
  if (!isSqlite(bytes)) return null;
  const SQL = await engine(loader);
  let database;
  try {
    database = new SQL.Database(bytes);
  } catch {
    return null;
  }
  try {
    const present = new Set(
      (database.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? []).map((row) =>
        String(row[0]).toLowerCase(),
      ),
    );
    const result = new Map<string, SqlRow[]>();
    for (const table of tables) {
      if (!present.has(table.toLowerCase())) continue;
      const [found] = database.exec(`SELECT * FROM "${table.replace(/"/g, '""')}"`);
      const rows = (found?.values ?? []).map((values) =>
        Object.fromEntries(found?.columns.map((column, index) => [column.toLowerCase(), values[index] ?? null]) ?? []),
      );
      result.set(table, rows);
    }
    return result;
  } catch {
    // A damaged page surfaces as "database disk image is malformed" on the first read.
    return null;
  } finally {
    database.close();
  }
}
