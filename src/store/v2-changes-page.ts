import type { V2Changes, V2StoredItem } from './store.js';

/**
 * One row of `V2Repository.changesPageQuery`: the account (always there for a known account) and one of
 * its changes, or none (`item_id` null) when there are no changes after the cursor, or when the caller
 * already holds the page (v2-page-cache.ts). PostgreSQL answers its `bigint` columns as text.
 */
export interface V2PageRow {
  readonly account_id: number;
  readonly account_seq: number | string;
  readonly account_created_at: number | string;
  readonly item_id: string | null;
  readonly rev: number | null;
  readonly seq: number | string | null;
  readonly deleted: number | null;
  readonly envelope: string | null;
}

/** Which account row a page was read from: a write to the account changes `seq`, a new account `id`. */
export interface V2PageVersion {
  readonly id: number;
  readonly seq: number;
  readonly createdAt: number;
}

/** No page held: matches no account row. */
export const NO_VERSION: V2PageVersion = { id: -1, seq: -1, createdAt: -1 };

/** The version of the account the rows were read from; the rows are never empty for a known account. */
export function pageVersion(first: V2PageRow): V2PageVersion {
  return { id: first.account_id, seq: Number(first.account_seq), createdAt: Number(first.account_created_at) };
}

/** A page of changes from up to `limit + 1` rows (one more than asked tells whether more follow). */
export function changesPage(rows: readonly V2PageRow[], limit: number): V2Changes {
  const items: V2StoredItem[] = [];
  const count = itemCount(rows, limit);
  for (let index = 0; index < count; index++) {
    const row = rows[index] as ItemRow;
    items.push({
      id: row.item_id,
      rev: row.rev,
      seq: Number(row.seq),
      deleted: row.deleted === 1,
      envelope: row.envelope,
    });
  }
  return { items, seq: rows[0] === undefined ? 0 : Number(rows[0].account_seq), more: moreFollow(rows, limit) };
}

/**
 * The same page as the exact UTF-8 body of `GET /api/v2/items` (`V2ChangesResponse`: `{"items":[…],
 * "seq":…,"more":…}`), written straight from the rows: the sync hot path builds no item objects and
 * runs no schema serialiser (whose union of live item and tombstone validated every item to pick a
 * branch: bench/profile-notes.md). Strings go through `JSON.stringify`, numbers are the database's.
 */
export function changesPageBody(rows: readonly V2PageRow[], limit: number): Buffer {
  let body = '{"items":[';
  const count = itemCount(rows, limit);
  for (let index = 0; index < count; index++) {
    const row = rows[index] as ItemRow;
    if (!row.deleted && row.envelope === null) {
      throw new TypeError(`the store holds live item ${row.item_id} without an envelope`);
    }
    body +=
      `${index === 0 ? '' : ','}{"id":${JSON.stringify(row.item_id)},"rev":${String(row.rev)},` +
      `"seq":${String(Number(row.seq))},"deleted":${row.deleted === 1 ? 'true' : 'false'},` +
      `"envelope":${row.envelope === null ? 'null' : JSON.stringify(row.envelope)}}`;
  }
  const seq = rows[0] === undefined ? 0 : Number(rows[0].account_seq);
  body += `],"seq":${String(seq)},"more":${moreFollow(rows, limit) ? 'true' : 'false'}}`;
  return Buffer.from(body, 'utf8');
}

/** The body for an account that has never been written: an empty account. */
export const EMPTY_CHANGES_BODY: Buffer = Buffer.from('{"items":[],"seq":0,"more":false}', 'utf8');

interface ItemRow extends V2PageRow {
  readonly item_id: string;
  readonly rev: number;
  readonly seq: number | string;
  readonly deleted: number;
}

/** How many of the first `limit` rows hold a change (a LEFT JOIN row without one holds only the account). */
function itemCount(rows: readonly V2PageRow[], limit: number): number {
  const count = Math.min(rows.length, limit);
  for (let index = 0; index < count; index++) {
    const row = rows[index];
    if (row?.item_id == null || row.rev === null || row.seq === null || row.deleted === null) return index;
  }
  return count;
}

function moreFollow(rows: readonly V2PageRow[], limit: number): boolean {
  return rows.length > limit && rows[limit]?.item_id != null;
}
