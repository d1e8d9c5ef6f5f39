import type { WebImportRow } from './import-entries.js';

/** The import's sentences (part of the lazy import chunk; the rest are in `messages.ts`). */
export const IMPORT_MESSAGES = {
  empty: 'Paste otpauth:// or otpauth-migration:// links or an export file’s text, or choose a file.',
  tooLarge: 'That file is too large for an authenticator export (over 5 MB).',
  unreadable: 'That file could not be read.',
  noPassword: 'Enter the password the file was exported with.',
} as const;

/** How one previewed row is listed: what pressing Import will do with it. */
export function importOutcome(row: WebImportRow): string {
  switch (row.status) {
    case 'add':
      return 'will be added';
    case 'duplicate':
      return 'already stored';
    case 'invalid':
      return `invalid: ${row.detail}`;
    case 'needs-v2':
      return `skipped: ${row.detail}`;
  }
}

/** After an import: how many were stored, and which previewed rows were skipped and why. */
export function importedNotice(stored: number, skipped: readonly string[]): string {
  const added = `Imported ${stored === 1 ? 'one entry' : `${String(stored)} entries`}, encrypted in this page.`;
  if (skipped.length === 0) return added;
  return `${added} Skipped ${String(skipped.length)}: ${skipped.join('; ')}.`;
}
