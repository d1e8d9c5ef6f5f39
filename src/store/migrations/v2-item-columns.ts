import type { CreateTableBuilder } from 'kysely';

/**
 * The columns of a v2 item after its owner column, as both 0002 (items per user) and 0004 (items per
 * account) create them. Shipped migrations call this, so it is history too: never edit it; a new
 * column or type belongs in a new migration.
 */
type V2ItemColumn = 'item_id' | 'rev' | 'seq' | 'envelope' | 'deleted' | 'created_at' | 'updated_at';

export function withV2ItemColumns<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C | V2ItemColumn> {
  return table
    .addColumn('item_id', 'text', (column) => column.notNull())
    .addColumn('rev', 'integer', (column) => column.notNull())
    .addColumn('seq', 'bigint', (column) => column.notNull())
    .addColumn('envelope', 'text')
    .addColumn('deleted', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull());
}
