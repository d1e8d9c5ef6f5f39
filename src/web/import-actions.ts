import { sameCodes } from '../core/entry/compare.js';
import type { Actions } from './actions/index.js';
import type { AppStore } from './app-state.js';
import { planWebImport } from './import-entries.js';
import { IMPORT_MESSAGES, importedNotice, importOutcome } from './import-messages.js';

/** Exports are kilobytes; anything this large is not one (and would stall the page). */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** The page's QR reader: the text of the code in an image, or `null` after it explained the failure. */
export type ReadQrImage = (file: File) => Promise<string | null>;

export interface ImportActions {
  /** Plans an import of pasted text (or a file's text) and shows the preview; sends nothing. */
  preview(text: string, fileName?: string): boolean;
  /** Reads a chosen export file or QR image (decoded in the page) and previews it; sends nothing. */
  previewFile(file: File): Promise<boolean>;
  /** Stores the previewed `add` rows as v2 items; resolves to how many were stored. */
  confirm(): Promise<number>;
  discard(): void;
}

/**
 * The web import: preview first (parsed and checked against the shown entries, in the page), then one
 * v2 item per new entry once the person confirms. Part of the lazy import chunk, with every format's
 * parser; QR images go through the page's own reader (whose decoder is a chunk of its own).
 */
export function createImportActions(store: AppStore, actions: Actions, readQrImage: ReadQrImage): ImportActions {
  const fail = (text: string): false => {
    store.update({ importPreview: null, notice: { tone: 'error', text } });
    return false;
  };

  function preview(text: string, fileName?: string): boolean {
    if (text.trim() === '') return fail(IMPORT_MESSAGES.empty);
    const plan = planWebImport(text, store.state.entries, {
      storesParameters: true,
      ...(fileName === undefined ? {} : { fileName }),
    });
    if (!plan.ok) return fail(plan.message);
    store.update({ importPreview: plan, notice: null });
    return true;
  }

  return {
    preview,

    async previewFile(file) {
      if (file.size > MAX_FILE_BYTES) return fail(IMPORT_MESSAGES.tooLarge);
      if (file.type.startsWith('image/') || /\.(png|jpe?g|gif|webp)$/i.test(file.name)) {
        const text = await readQrImage(file);
        if (text === null) {
          store.update({ importPreview: null });
          return false;
        }
        return preview(text, file.name);
      }
      let text: string;
      try {
        text = await file.text();
      } catch {
        return fail(IMPORT_MESSAGES.unreadable);
      }
      return preview(text, file.name);
    },

    async confirm() {
      const plan = store.state.importPreview;
      if (plan === null || store.state.busy) return 0;
      const skipped: string[] = [];
      const entries = [];
      for (const row of plan.rows) {
        // Re-checked: an entry added since the preview (here or by a reload) is not stored twice.
        if (row.status === 'add' && !store.state.entries.some((known) => sameCodes(known, row.entry))) {
          entries.push(row.entry);
        } else {
          const outcome = row.status === 'add' ? 'already stored' : importOutcome(row);
          skipped.push(`${row.label} (${outcome})`);
        }
      }
      const stored = entries.length === 0 ? 0 : await actions.addEntries(entries);
      if (stored === entries.length) {
        store.update({ importPreview: null, notice: { tone: 'info', text: importedNotice(stored, skipped) } });
      } else {
        // addEntries explained the failure; a new preview lists what is stored now as "already stored".
        const text = `${store.state.notice?.text ?? ''} Preview again to import the rest.`.trim();
        store.update({ importPreview: null, notice: { tone: 'error', text } });
      }
      return stored;
    },

    discard() {
      store.update({ importPreview: null });
    },
  };
}
