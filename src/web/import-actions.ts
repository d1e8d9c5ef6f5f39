import { sameCodes } from '../core/entry/compare.js';
import type { Actions } from './actions/index.js';
import type { AppStore } from './app-state.js';
import type { ImportSource } from '../core/formats/format-spec.js';
import { importSource, textSource } from '../core/formats/import-source.js';
import { planWebImport } from './import-entries.js';
import { IMPORT_MESSAGES, importedNotice, importOutcome } from './import-messages.js';

/** Exports are kilobytes; anything this large is not one (and would stall the page). */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** The page's QR reader: the text of the code in an image, or `null` after it explained the failure. */
export type ReadQrImage = (file: File) => Promise<string | null>;

export interface ImportActions {
  /** Plans an import of pasted text (or a QR code's text) and shows the preview; sends nothing. */
  preview(text: string, fileName?: string): Promise<boolean>;
  /** Reads a chosen export file (as bytes) or QR image (decoded in the page) and previews it; sends nothing. */
  previewFile(file: File): Promise<boolean>;
  /** Opens the encrypted file last previewed with its password (decrypted in the page) and previews it. */
  unlock(password: string): Promise<boolean>;
  /** Whether the last file previewed waits for its password (`wrong`: the last one did not open it). */
  passwordRequest(): 'needed' | 'wrong' | null;
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

  // The encrypted file waiting for its password; dropped once it is opened or another is chosen.
  let locked: ImportSource | null = null;
  let request: 'needed' | 'wrong' | null = null;

  async function plan(source: ImportSource, password?: string): Promise<boolean> {
    const planned = await planWebImport(source, store.state.entries, {
      storesParameters: true,
      ...(password === undefined ? {} : { password }),
    });
    locked = planned.ok || planned.password === undefined ? null : source;
    request = planned.ok ? null : (planned.password ?? null);
    if (!planned.ok) {
      if (planned.password === 'needed') {
        store.update({ importPreview: null, notice: { tone: 'info', text: planned.message } });
        return false;
      }
      return fail(planned.message);
    }
    store.update({ importPreview: planned, notice: null });
    return true;
  }

  function preview(text: string, fileName?: string): Promise<boolean> {
    locked = null;
    request = null;
    if (text.trim() === '') return Promise.resolve(fail(IMPORT_MESSAGES.empty));
    return plan(textSource(text, fileName));
  }

  return {
    preview,
    passwordRequest: () => request,

    async unlock(password) {
      if (locked === null) return false;
      if (password === '') return fail(IMPORT_MESSAGES.noPassword);
      return plan(locked, password);
    },

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
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch {
        return fail(IMPORT_MESSAGES.unreadable);
      }
      // Databases, ZIPs and encrypted backups are binary: the registry reads bytes, text when there is some.
      locked = null;
      request = null;
      return plan(importSource(bytes, file.name));
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
      locked = null;
      request = null;
      store.update({ importPreview: null });
    },
  };
}
