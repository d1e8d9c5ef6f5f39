import type { ImportFormatSpec, ImportSource } from './format-spec.js';
import { parseMigrationUri, type MigrationBatch } from './google-migration.js';
import { itemLabel, type ImportItem } from './import-item.js';
import { parseOtpauthUri } from './otpauth-uri.js';
import { entriesOutcome, unsupportedOutcome } from './format-items.js';

/** What a file of URI lines held. */
export interface UriLines {
  readonly items: readonly ImportItem[];
  readonly warnings: readonly string[];
  readonly sawOtpauth: boolean;
  readonly sawMigration: boolean;
}

/**
 * One URI per line; blank lines and `#` comments are skipped; any other line is an invalid entry.
 * `otpauth://` and `otpauth-migration://` lines may be mixed.
 */
export function parseUriLines(content: string): UriLines {
  const items: ImportItem[] = [];
  const batches: MigrationBatch[] = [];
  let sawMigration = false;
  let sawOtpauth = false;
  for (const [index, rawLine] of content.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    const position = `line ${String(index + 1)}`;
    if (line === '' || line.startsWith('#')) continue;
    if (/^otpauth-migration:/i.test(line)) {
      sawMigration = true;
      const payload = parseMigrationUri(line, position);
      if (payload === null) {
        items.push({ ok: false, label: position, problem: 'the otpauth-migration:// data is damaged' });
        continue;
      }
      items.push(...payload.items);
      if (payload.batch !== null) batches.push(payload.batch);
      continue;
    }
    if (/^otpauth:/i.test(line)) sawOtpauth = true;
    const built = parseOtpauthUri(line);
    // A line that cannot be read is named by its position only (today's CLI and page reports).
    const label = itemLabel(position, built.ok ? built.entry.name : null);
    items.push(built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem });
  }
  return { items, warnings: missingBatches(batches), sawOtpauth, sawMigration };
}

/** Google Authenticator numbers the QR codes of one export; a missing one means missing accounts. */
function missingBatches(batches: readonly MigrationBatch[]): string[] {
  const warnings: string[] = [];
  for (const id of new Set(batches.map((batch) => batch.id))) {
    const group = batches.filter((batch) => batch.id === id);
    const size = Math.max(...group.map((batch) => batch.size));
    const seen = new Set(group.map((batch) => batch.index));
    const missing = [...Array(size).keys()].filter((index) => !seen.has(index)).map((index) => String(index + 1));
    if (missing.length > 0) {
      warnings.push(
        `Google Authenticator QR code ${missing.join(', ')} of ${String(size)} is missing: its accounts are not in this file`,
      );
    }
  }
  return warnings;
}

/**
 * The schemes of the URI lines of a text, without reading the URIs (for `detect`). Other lines do
 * not stop the detection: they are reported as invalid entries, by line.
 */
export function uriSchemes(source: ImportSource): { readonly otpauth: boolean; readonly migration: boolean } {
  let otpauth = false;
  let migration = false;
  for (const rawLine of (source.text ?? '').split(/\r?\n/)) {
    const line = rawLine.trim();
    if (/^otpauth-migration:/i.test(line)) migration = true;
    else if (/^otpauth:/i.test(line)) otpauth = true;
  }
  return { otpauth, migration };
}

const NO_URIS = 'the file holds no otpauth:// or otpauth-migration:// line';

/** Google Authenticator's "Transfer accounts" QR codes, as their `otpauth-migration://` text. */
export const googleMigrationFormat = uriLinesFormat(
  'google-migration',
  'Google Authenticator transfer (otpauth-migration:// links or QR codes)',
  (schemes) => schemes.migration && !schemes.otpauth,
  (lines) => lines.sawMigration,
);

/**
 * Lines of `otpauth://` URIs, as most apps export them (Ente Auth's plain export among them), and
 * `otpauth-migration://` lines mixed in.
 */
export const otpauthFormat = uriLinesFormat(
  'otpauth',
  'otpauth:// links, one per line (Ente Auth plain export, any app)',
  (schemes) => schemes.otpauth || schemes.migration,
  (lines) => lines.sawOtpauth || lines.sawMigration,
);

/** A format of URI lines, told apart by the schemes it detects and the lines it needs to find. */
function uriLinesFormat(
  name: string,
  label: string,
  detects: (schemes: ReturnType<typeof uriSchemes>) => boolean,
  found: (lines: UriLines) => boolean,
): ImportFormatSpec {
  return {
    name,
    label,
    encryption: 'none',
    detect: (source) => detects(uriSchemes(source)),
    parse(source) {
      const lines = parseUriLines(source.text ?? '');
      return Promise.resolve(
        found(lines) ? entriesOutcome(name, lines.items, lines.warnings) : unsupportedOutcome(name, NO_URIS),
      );
    },
  };
}
