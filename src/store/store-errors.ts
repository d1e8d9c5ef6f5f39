import { isPostgresUnavailable } from './postgres/postgres-errors.js';
import { isSqliteUnavailable } from './sqlite/sqlite-errors.js';

/**
 * `true` for a failure of the database itself (down, restarting, overloaded, timed out), as opposed
 * to a bug. The HTTP edge answers these with 503 so clients retry, and the pool recovers by itself.
 * Follows `cause` a few levels: Kysely and the writer thread wrap the driver's error.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const raw = (current as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : undefined;
    if (code !== undefined && isSqliteUnavailable(code)) return true;
    if (isPostgresUnavailable(code, current.message)) return true;
    current = current.cause;
  }
  return false;
}
