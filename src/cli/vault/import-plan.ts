import { sameCodes } from '../../core/entry/compare.js';
import { type Entry } from '../../core/entry/model.js';
import type { ImportItem } from '../../core/formats/import-item.js';
import { NAME_MAX_LENGTH } from './secret-rules.js';
import { displayName } from '../output/text-format.js';

/** What happens to one entry of an import file. */
export type PlannedItem =
  | { readonly status: 'add'; readonly label: string; readonly entry: Entry }
  | { readonly status: 'duplicate'; readonly label: string; readonly detail: string }
  | { readonly status: 'invalid'; readonly label: string; readonly detail: string };

/**
 * Decides, entry by entry, what an import does: add it, skip it because an entry with the same
 * secret and parameters is stored (or came earlier in the file), or refuse it with the reason.
 * Pure, so the report of `--dry-run` is exactly what a real import does.
 */
export function planImport(stored: readonly Entry[], items: readonly ImportItem[]): PlannedItem[] {
  const accepted: Entry[] = [];
  return items.map((item): PlannedItem => {
    if (!item.ok) return { status: 'invalid', label: item.label, detail: item.problem };
    const nameProblem = checkImportedName(item.entry.name);
    if (nameProblem !== null) return { status: 'invalid', label: item.label, detail: nameProblem };
    const known = stored.find((entry) => sameCodes(entry, item.entry));
    if (known !== undefined) {
      return { status: 'duplicate', label: item.label, detail: `already stored as ${displayName(known.name)}` };
    }
    if (accepted.some((entry) => sameCodes(entry, item.entry))) {
      return { status: 'duplicate', label: item.label, detail: 'the same entry came earlier in this file' };
    }
    accepted.push(item.entry);
    return { status: 'add', label: item.label, entry: item.entry };
  });
}

/** The name rules of `add` (`checkName`), as a value: an import reports every entry it refuses. */
function checkImportedName(name: string | null): string | null {
  if (name === null) return null;
  if (name.length > NAME_MAX_LENGTH) return `the name is longer than ${String(NAME_MAX_LENGTH)} characters`;
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point here
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the name contains control characters';
  return null;
}
