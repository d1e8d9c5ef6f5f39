import type { ImportPanel } from '../import-panel.js';
import { MESSAGES } from '../messages.js';
import { parseNewEntry } from '../new-entry.js';
import { requireElement } from '../views/dom.js';
import type { ScanQr } from './camera-controls.js';
import type { PageContext } from './page-context.js';

/** The forms that bring entries in, and what `main.ts` needs from them. */
export interface AddControls {
  /** Empties the import form (after a lock: it may hold secrets). */
  resetImport(): void;
}

/**
 * The add form (a secret or otpauth URI, or a QR image that fills it) and the import form (text or a
 * file in any supported format, previewed before anything is saved).
 */
export function wireAddControls(context: PageContext, scanQr: ScanQr): AddControls {
  const { store, actions } = context;
  const addForm = requireElement('add-form', HTMLFormElement);
  const addSecret = requireElement('add-secret', HTMLInputElement);
  const addName = requireElement('add-name', HTMLInputElement);
  const addImage = requireElement('add-image', HTMLInputElement);
  const importForm = requireElement('import-form', HTMLFormElement);
  const importFile = requireElement('import-file', HTMLInputElement);

  addForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void actions.add(addSecret.value, addName.value).then((added) => {
      if (!added) return;
      addForm.reset();
      addSecret.focus();
    });
  });

  addImage.addEventListener('change', () => {
    const file = addImage.files?.[0];
    if (file !== undefined) void fillFromQrImage(file);
  });

  /** The text of the QR code in an image (add and import both read them), or `null` once explained. */
  async function readQrImage(file: File): Promise<string | null> {
    try {
      // Loaded only now: the QR decoder is a separate chunk outside the page's initial weight.
      const { decodeQrImage } = await import('../qr-image.js');
      const text = await decodeQrImage(file);
      if (text === null) store.update({ notice: { tone: 'error', text: MESSAGES.qrNotFound } });
      return text;
    } catch {
      store.update({ notice: { tone: 'error', text: MESSAGES.qrUnreadable } });
      return null;
    }
  }

  async function fillFromQrImage(file: File): Promise<void> {
    const text = await readQrImage(file);
    addImage.value = '';
    if (text !== null) fillFromQrText(text);
  }

  requireElement('add-scan', HTMLButtonElement).addEventListener('click', () => {
    void scanQr((text) => parseNewEntry(text).ok).then((text) => {
      if (text !== null) fillFromQrText(text);
    });
  });
  requireElement('import-scan', HTMLButtonElement).addEventListener('click', () => {
    void scanQr((text) => /^otpauth(-migration)?:\/\//i.test(text)).then((text) => {
      if (text === null) return;
      requireElement('import-text', HTMLTextAreaElement).value = text;
      withImportPanel((panel) => {
        panel.previewText();
      });
    });
  });

  function fillFromQrText(text: string): void {
    addSecret.value = text;
    const parsed = parseNewEntry(text);
    if (parsed.ok && parsed.name !== null && addName.value.trim() === '') addName.value = parsed.name;
    store.update({
      notice: parsed.ok ? { tone: 'info', text: MESSAGES.qrRead } : { tone: 'error', text: parsed.message },
    });
    addName.focus();
  }

  // The import code (the panel and every format's parser) is a lazy chunk, fetched at the first use.
  let importPanel: Promise<ImportPanel> | undefined;

  function withImportPanel(use: (panel: ImportPanel) => Promise<void> | void): void {
    importPanel ??= import('../import-panel.js').then(({ createImportPanel }) =>
      createImportPanel(store, actions, readQrImage),
    );
    importPanel.then(use).catch(() => {
      importPanel = undefined;
      store.update({ notice: { tone: 'error', text: MESSAGES.unreachable } });
    });
  }

  importForm.addEventListener('submit', (event) => {
    event.preventDefault();
    withImportPanel((panel) => {
      panel.previewText();
    });
  });
  importFile.addEventListener('change', () => {
    withImportPanel((panel) => panel.previewFile());
  });

  return {
    resetImport: () => {
      importForm.reset();
    },
  };
}
