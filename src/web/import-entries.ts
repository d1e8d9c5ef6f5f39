import { sameCodes } from '../core/entry/compare.js';
import { type Entry } from '../core/entry/model.js';
import { IMPORT_FORMATS } from '../core/formats/import-item.js';
import { parseImport } from '../core/formats/import-detect.js';

/** What the page does with one entry of a pasted or chosen import. */
export type WebImportRow =
  | { readonly status: 'add'; readonly label: string; readonly entry: Entry }
  | { readonly status: 'duplicate' | 'needs-v2' | 'invalid'; readonly label: string; readonly detail: string };

export type WebImportPlan =
  | {
      readonly ok: true;
      readonly format: string;
      readonly rows: readonly WebImportRow[];
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

/**
 * Plans a web import of pasted URIs or a chosen file's text (a QR image is decoded to text first).
 * `storesParameters` is false while the page stores through the v1 API, which holds only a secret and a
 * name: entries needing other parameters (HOTP, Steam, SHA256/512, 7–8 digits, another period) are
 * then listed as `needs-v2` instead of being stored with codes that would be wrong.
 */
export function planWebImport(
  text: string,
  stored: readonly Entry[],
  options: { readonly fileName?: string; readonly storesParameters: boolean },
): WebImportPlan {
  const detected = parseImport(text, options.fileName);
  if (detected.kind === 'unsupported') return { ok: false, message: `This cannot be imported: ${detected.message}.` };
  if (detected.kind === 'backup') {
    return { ok: false, message: 'Encrypted open2fa backups are read by the CLI: open2fa import FILE.' };
  }
  const accepted: Entry[] = [];
  const rows = detected.items.map((item): WebImportRow => {
    if (!item.ok) return { status: 'invalid', label: item.label, detail: item.problem };
    const entry = item.entry;
    if (!options.storesParameters && !isPlainTotp(entry)) {
      return {
        status: 'needs-v2',
        label: item.label,
        detail:
          'its parameters need protocol v2 (the web UI stores SHA1, 6 digits, 30 s TOTP only); import it with the CLI',
      };
    }
    if ([...stored, ...accepted].some((known) => sameCodes(known, entry))) {
      return { status: 'duplicate', label: item.label, detail: 'already stored' };
    }
    accepted.push(entry);
    return { status: 'add', label: item.label, entry };
  });
  return { ok: true, format: IMPORT_FORMATS[detected.format], rows, warnings: detected.warnings };
}

/** The only kind of entry the legacy v1 store can hold without changing its codes. */
export function isPlainTotp(entry: Entry): boolean {
  return entry.type === 'totp' && entry.algorithm === 'SHA1' && entry.digits === 6 && entry.period === 30;
}
