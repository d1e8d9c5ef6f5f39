import pg from 'pg';

export interface PostgresConnectionOptions {
  /** Connections in the pool. */
  readonly poolSize?: number;
  /** A statement running longer than this is cancelled. */
  readonly statementTimeoutMs?: number;
  /** Schema to use (tests give each run a fresh one). */
  readonly schema?: string;
}

/** A pool of connections to the server at `url`, each on `schema` when given. */
export function openPostgresPool(url: string, options: PostgresConnectionOptions): pg.Pool {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
    throw new RangeError(`not a plain schema name: ${options.schema}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // A client losing its connection (database restart, pg_terminate_backend) emits 'error'; unheard,
  // that would crash the process. Idle clients are dropped by the pool; a checked-out client's query
  // fails (the edge answers 503) and the pool replaces it. Either way the next query reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}
