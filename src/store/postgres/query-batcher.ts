import type pg from 'pg';

/** Reads answered by one statement at most; more wait for the next one. */
export const BATCH_LIMIT = 32;

/** One read query as Kysely compiled it: positional parameters $1…$n, with their PostgreSQL types. */
export interface BatchableQuery {
  /** The prepared statement's name; the batched statement is named after it. */
  readonly name: string;
  readonly text: string;
  /** The type of each parameter, in order, for the arrays of the batched statement. */
  readonly types: readonly string[];
  /** A result column to order each read's rows by, as the query itself does (NULLs last). */
  readonly orderBy?: string;
}

interface PendingRead<Row> {
  readonly values: readonly unknown[];
  readonly resolve: (rows: Row[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs one read query for many requests in one statement: the reads that arrive in one turn of the
 * event loop are sent together once it ends (setImmediate), as
 *
 *   SELECT asked.position, answer.* FROM unnest($1::t1[], …) WITH ORDINALITY AS asked (p1, …, position)
 *   CROSS JOIN LATERAL (the query, its $k read from asked.pk) AS answer ORDER BY asked.position
 *
 * so each read gets exactly the rows the query alone would give it, and costs the database what the
 * query costs without its own round trip. A read alone is sent as the query itself. Both are named
 * prepared statements.
 */
export class QueryBatcher<Row extends object> {
  readonly #pool: pg.Pool;
  readonly #query: BatchableQuery;
  readonly #batched: string;
  #pending: PendingRead<Row>[] = [];

  constructor(pool: pg.Pool, query: BatchableQuery) {
    this.#pool = pool;
    this.#query = query;
    this.#batched = batchedText(query);
  }

  /** The rows of the query for these parameter values. */
  rows(values: readonly unknown[]): Promise<Row[]> {
    if (values.length !== this.#query.types.length) {
      return Promise.reject(
        new Error(
          `${this.#query.name}: ${String(values.length)} values for ${String(this.#query.types.length)} parameters`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ values, resolve, reject });
      if (this.#pending.length === 1) setImmediate(() => void this.#send());
    });
  }

  async #send(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    const batches: PendingRead<Row>[][] = [];
    for (let start = 0; start < pending.length; start += BATCH_LIMIT) {
      batches.push(pending.slice(start, start + BATCH_LIMIT));
    }
    await Promise.all(batches.map((batch) => this.#answer(batch)));
  }

  async #answer(batch: readonly PendingRead<Row>[]): Promise<void> {
    try {
      const [only] = batch;
      if (batch.length === 1 && only !== undefined) {
        const result = await this.#pool.query<Row>({
          name: this.#query.name,
          text: this.#query.text,
          values: [...only.values],
        });
        only.resolve(result.rows);
        return;
      }
      const result = await this.#pool.query<Row & { open2fa_position: string }>({
        name: `${this.#query.name}-batched`,
        text: this.#batched,
        values: this.#query.types.map((_, index) => batch.map((read) => read.values[index])),
      });
      const answers = batch.map((): Row[] => []);
      for (const { open2fa_position: position, ...row } of result.rows) {
        const answer = answers[Number(position) - 1];
        if (answer === undefined)
          throw new Error(`${this.#query.name}: a row for read ${position} of ${String(batch.length)}`);
        answer.push(row as unknown as Row);
      }
      batch.forEach((read, index) => {
        read.resolve(answers[index] ?? []);
      });
    } catch (error) {
      for (const read of batch) read.reject(error);
    }
  }
}

/** The batched statement's text (see QueryBatcher); refuses a query it cannot rewrite safely. */
export function batchedText(query: BatchableQuery): string {
  const count = query.types.length;
  if (/['"]/.test(query.text.replace(/"[A-Za-z0-9_]+"/g, ''))) {
    throw new Error(`${query.name}: a quoted literal in the query; it cannot be batched by rewriting $n`);
  }
  const used = new Set([...query.text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
  const expected = Array.from({ length: count }, (_, index) => index + 1);
  if (used.size !== count || expected.some((index) => !used.has(index))) {
    throw new Error(`${query.name}: parameters ${[...used].join(', ')} for ${String(count)} types`);
  }
  if (
    query.types.some((type) => !/^[a-z]+$/.test(type)) ||
    (query.orderBy !== undefined && !/^[a-z_]+$/.test(query.orderBy))
  ) {
    throw new Error(`${query.name}: a type or order column that is not a plain name`);
  }
  const arrays = query.types.map((type, index) => `$${String(index + 1)}::${type}[]`).join(', ');
  const columns = query.types.map((_, index) => `p${String(index + 1)}`).join(', ');
  const inner = query.text.replace(/\$(\d+)/g, (_match, index: string) => `asked.p${index}`);
  const order = query.orderBy === undefined ? '' : `, answer."${query.orderBy}"`;
  return (
    `select asked.position as open2fa_position, answer.* from unnest(${arrays}) with ordinality as asked (${columns}, position) ` +
    `cross join lateral (${inner}) as answer order by asked.position${order}`
  );
}
