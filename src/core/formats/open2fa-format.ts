import { entryRecord, type Entry } from '../entry/model.js';
import { buildEntry } from './entry-builder.js';
import type { ImportFormatSpec } from './format-spec.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import { damagedOutcome, entriesOutcome, unsupportedOutcome } from './format-items.js';

export const OPEN2FA_EXPORT_FORMAT = 'open2fa-export';
export const OPEN2FA_EXPORT_VERSION = 1;

/** Whether a parsed JSON document is open2fa's own export: `{ "format": "open2fa-export", ... }`. */
export function isOpen2faExport(document: unknown): document is Record<string, unknown> {
  return isRecord(document) && document.format === OPEN2FA_EXPORT_FORMAT;
}

/**
 * open2fa's own JSON export, version 1: `{ format, version, entries: [Entry] }`, every field of every
 * entry written out, so nothing is lost (names included, which the other formats cannot carry).
 */
export function serializeOpen2fa(entries: readonly Entry[]): string {
  const document = {
    format: OPEN2FA_EXPORT_FORMAT,
    version: OPEN2FA_EXPORT_VERSION,
    entries: entries.map(entryRecord),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The entries of an open2fa export; `null` for a version this code does not know. */
export function parseOpen2fa(document: Record<string, unknown>): ImportItem[] | null {
  if (document.version !== OPEN2FA_EXPORT_VERSION || !Array.isArray(document.entries)) return null;
  return document.entries.map((item: unknown, index): ImportItem => {
    const position = `entry ${String(index + 1)}`;
    if (!isRecord(item)) return { ok: false, label: position, problem: 'not an entry object' };
    const label = itemLabel(position, typeof item.name === 'string' ? item.name : null);
    const built = buildEntry({ ...item, secret: item.secret, name: item.name ?? null }, { keepSecret: true });
    return built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem };
  });
}

/** open2fa's own JSON export (`export --format json`): every field, secrets as typed. */
export const open2faFormat: ImportFormatSpec = {
  name: 'open2fa',
  label: 'open2fa JSON export',
  encryption: 'none',
  detect: (source) => isOpen2faExport(jsonOf(source)),
  parse(source) {
    const document = jsonOf(source);
    if (!isOpen2faExport(document)) return Promise.resolve(damagedOutcome('open2fa', 'not an open2fa export'));
    const items = parseOpen2fa(document);
    return Promise.resolve(
      items === null
        ? unsupportedOutcome('open2fa', 'this open2fa export is of a newer version: update open2fa')
        : entriesOutcome('open2fa', items),
    );
  },
};
