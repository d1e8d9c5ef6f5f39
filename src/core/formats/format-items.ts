import { nameFromParts } from '../entry/model.js';
import { buildEntry, type EntryFields } from './entry-builder.js';
import type { ImportOutcome } from './format-spec.js';
import { itemLabel, type ImportItem } from './import-item.js';

/**
 * One entry of a file as an import item: built and checked by `buildEntry`, labelled by its position
 * and `Issuer:account`, so a refused entry is named the same way in every format.
 */
export function entryItem(position: string, fields: EntryFields): ImportItem {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const label = itemLabel(position, nameFromParts(text(fields.issuer), text(fields.account)));
  const built = buildEntry(fields);
  return built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem };
}

/** An entry that could not even be read far enough to build, with why. */
export function refusedItem(position: string, problem: string, name: string | null = null): ImportItem {
  return { ok: false, label: itemLabel(position, name), problem };
}

export function entriesOutcome(
  format: string,
  items: readonly ImportItem[],
  warnings: readonly string[] = [],
): ImportOutcome {
  return { kind: 'entries', format, items, warnings };
}

export function unsupportedOutcome(format: string, message: string): ImportOutcome {
  return { kind: 'unsupported', format, message };
}

/** The outcome of a file whose layout is not what its format documents. */
export function damagedOutcome(format: string, why: string): ImportOutcome {
  return { kind: 'unsupported', format, message: `the file is damaged or not a complete export (${why})` };
}

/** `entry 1`, `entry 2`…: positions count from one, as people do. */
export function position(index: number): string {
  return `entry ${String(index + 1)}`;
}
