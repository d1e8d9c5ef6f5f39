import type { Entry } from '../app-state.js';
import { displayName } from '../entries.js';
import { requireElement } from './dom.js';

/**
 * The modal that shows an entry's QR code (to move it to another authenticator). A native `<dialog>`:
 * Escape and the Close button close it, focus stays inside while it is open, and `onClose` gets the
 * entry's key so the caller can put focus back on its QR button. The code is removed from the page on
 * close, so the secret does not linger in the DOM.
 */
export class QrDialog {
  readonly #dialog = requireElement('qr-dialog', HTMLDialogElement);
  readonly #heading = requireElement('qr-heading', HTMLElement);
  readonly #code = requireElement('qr-code', HTMLElement);
  #key: string | null = null;

  constructor(onClose: (key: string) => void) {
    this.#dialog.addEventListener('close', () => {
      this.#code.replaceChildren();
      const key = this.#key;
      this.#key = null;
      if (key !== null) onClose(key);
    });
  }

  /** Draws the code (the QR encoder is a lazy chunk, so this rejects if it cannot be fetched) and opens. */
  async open(entry: Entry): Promise<void> {
    const { entryQrSvg } = await import('../qr-code.js');
    const name = displayName(entry);
    this.#heading.textContent = `QR code of ${name}`;
    this.#code.replaceChildren(entryQrSvg(entry, `QR code holding the secret of ${name}`));
    this.#key = entry.key;
    if (!this.#dialog.open) this.#dialog.showModal();
  }

  close(): void {
    if (this.#dialog.open) this.#dialog.close();
  }
}
