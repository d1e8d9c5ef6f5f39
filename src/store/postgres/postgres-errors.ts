/** PostgreSQL SQLSTATE codes that mean "the database is not there right now" (class 08 too). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);
/** Node's socket errors, as node-postgres passes them on. */
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
/** node-postgres's own messages for a lost or never-made connection (they carry no code). */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** `true` when a PostgreSQL (or node-postgres) error means the database is down, restarting or overloaded. */
export function isPostgresUnavailable(code: string | undefined, message: string): boolean {
  if (
    code !== undefined &&
    (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_NODE_CODES.has(code))
  )
    return true;
  return UNAVAILABLE_MESSAGE.test(message);
}
