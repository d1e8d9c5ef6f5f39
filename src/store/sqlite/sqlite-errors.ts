/** better-sqlite3 error codes (prefixes: `SQLITE_IOERR_WRITE` is an `SQLITE_IOERR`) of an unusable database. */
const UNAVAILABLE_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN'];

/** `true` when a SQLite error code means "the database cannot serve right now" (locked, full, I/O). */
export function isSqliteUnavailable(code: string): boolean {
  return UNAVAILABLE_CODES.some((prefix) => code.startsWith(prefix));
}
