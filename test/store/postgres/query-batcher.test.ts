import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BATCH_LIMIT, batchedText, QueryBatcher } from '../../../src/store/postgres/query-batcher.js';

const QUERY = {
  name: 'probe',
  text: 'select "t"."v" from "t1" as "t" where "t"."k" = $1 and "t"."n" > $2 order by "t"."n" limit $2',
  types: ['bytea', 'bigint'],
  orderBy: 'v',
};

interface Sent {
  readonly name: string;
  readonly text: string;
  readonly values: readonly unknown[];
}

/** A pool that records each statement and answers from `answer`. */
function fakePool(answer: (sent: Sent) => Record<string, unknown>[]): { pool: pg.Pool; sent: Sent[] } {
  const sent: Sent[] = [];
  const pool = {
    query: (config: Sent) => {
      sent.push(config);
      return Promise.resolve({ rows: answer(config) });
    },
  };
  return { pool: pool as unknown as pg.Pool, sent };
}

describe('batchedText', () => {
  it('reads every parameter from the unnested arrays and keeps each read in its order', () => {
    expect(batchedText(QUERY)).toBe(
      'select asked.position as open2fa_position, answer.* from unnest($1::bytea[], $2::bigint[]) with ordinality as asked (p1, p2, position) ' +
        'cross join lateral (select "t"."v" from "t1" as "t" where "t"."k" = asked.p1 and "t"."n" > asked.p2 order by "t"."n" limit asked.p2) as answer ' +
        'order by asked.position, answer."v"',
    );
  });

  it('refuses a query it cannot rewrite safely', () => {
    expect(() => batchedText({ ...QUERY, text: `${QUERY.text} and "t"."s" = 'x$3'` })).toThrow(/literal/);
    expect(() => batchedText({ ...QUERY, types: ['bytea'] })).toThrow(/parameters/);
    expect(() => batchedText({ ...QUERY, types: ['bytea', 'bigint', 'text'] })).toThrow(/parameters/);
    expect(() => batchedText({ ...QUERY, types: ['bytea', 'bigint[]); drop table t1; --'] })).toThrow(/plain name/);
    expect(() => batchedText({ ...QUERY, orderBy: 'v"; --' })).toThrow(/plain name/);
  });
});

describe('QueryBatcher', () => {
  it('sends a read alone as the query itself', async () => {
    const { pool, sent } = fakePool(() => [{ v: 1 }]);
    const batcher = new QueryBatcher<{ v: number }>(pool, QUERY);
    expect(await batcher.rows(['k', 5])).toEqual([{ v: 1 }]);
    expect(sent).toEqual([{ name: 'probe', text: QUERY.text, values: ['k', 5] }]);
  });

  it('answers the reads of one turn with one statement, each with its own rows', async () => {
    // Read i gets i rows; read 2 (index 1) none.
    const { pool, sent } = fakePool((config) => {
      const keys = config.values[0] as string[];
      return keys.flatMap((_, index) =>
        Array.from({ length: index === 1 ? 0 : index + 1 }, (__, row) => ({
          open2fa_position: String(index + 1),
          v: `${keys[index] ?? ''}:${String(row)}`,
        })),
      );
    });
    const batcher = new QueryBatcher<{ v: string }>(pool, QUERY);
    const answers = await Promise.all(['a', 'b', 'c'].map((k, index) => batcher.rows([k, index])));
    expect(answers).toEqual([[{ v: 'a:0' }], [], [{ v: 'c:0' }, { v: 'c:1' }, { v: 'c:2' }]]);
    expect(sent).toEqual([
      {
        name: 'probe-batched',
        text: batchedText(QUERY),
        values: [
          ['a', 'b', 'c'],
          [0, 1, 2],
        ],
      },
    ]);
  });

  it(`sends at most ${String(BATCH_LIMIT)} reads per statement`, async () => {
    const { pool, sent } = fakePool((config) =>
      config.name === 'probe'
        ? [{ v: config.values[0] }]
        : (config.values[0] as string[]).map((k, index) => ({ open2fa_position: String(index + 1), v: k })),
    );
    const batcher = new QueryBatcher<{ v: string }>(pool, QUERY);
    const keys = Array.from({ length: BATCH_LIMIT + 1 }, (_, index) => `k${String(index)}`);
    const answers = await Promise.all(keys.map((k) => batcher.rows([k, 0])));
    expect(answers).toEqual(keys.map((k) => [{ v: k }]));
    expect(sent.map((config) => [config.name, config.values[0]])).toEqual([
      ['probe-batched', keys.slice(0, BATCH_LIMIT)],
      ['probe', keys[BATCH_LIMIT]],
    ]);
  });

  it('fails every read of a statement that fails, and none of the next', async () => {
    let fail = true;
    const pool = {
      query: () => (fail ? Promise.reject(new Error('connection lost')) : Promise.resolve({ rows: [] })),
    } as unknown as pg.Pool;
    const batcher = new QueryBatcher<{ v: string }>(pool, QUERY);
    const failed = await Promise.allSettled([batcher.rows(['a', 0]), batcher.rows(['b', 0])]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.rows(['c', 0])).resolves.toEqual([]);
  });

  it('refuses a read with the wrong number of values', async () => {
    const { pool } = fakePool(() => []);
    await expect(new QueryBatcher(pool, QUERY).rows(['only one'])).rejects.toThrow(/1 values for 2 parameters/);
  });
});
