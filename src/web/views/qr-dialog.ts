import type { ShownEntry } from '../app-state.js';
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
  readonly #warning = requireElement('qr-warning', HTMLElement);
  readonly #link = requireElement('qr-text', HTMLElement);
  readonly #entryWarning = this.#warning.textContent;
  #key: string | null = null;
  #onTextClose: (() => void) | null = null;

  constructor(onClose: (key: string) => void) {
    this.#dialog.addEventListener('close', () => {
      this.#code.replaceChildren();
      this.#link.textContent = '';
      this.#link.hidden = true;
      const key = this.#key;
      const onTextClose = this.#onTextClose;
      this.#key = null;
      this.#onTextClose = null;
      if (key !== null) onClose(key);
      onTextClose?.();
    });
  }

  /** Draws the code (the QR encoder is a lazy chunk, so this rejects if it cannot be fetched) and opens. */
  async open(entry: ShownEntry): Promise<void> {
    const { entryQrSvg } = await import('../qr-code.js');
    const name = displayName(entry);
    this.#heading.textContent = `QR code of ${name}`;
    this.#warning.textContent = this.#entryWarning;
    this.#code.replaceChildren(entryQrSvg(entry, `QR code holding the secret of ${name}`));
    this.#key = entry.key;
    if (!this.#dialog.open) this.#dialog.showModal();
  }

  /** Shows any text as a QR code (the pairing link), with the text itself and its own warning. */
  async openText(heading: string, text: string, warning: string, onClose: () => void): Promise<void> {
    const { textQrSvg } = await import('../qr-code.js');
    this.#heading.textContent = heading;
    this.#warning.textContent = warning;
    this.#code.replaceChildren(textQrSvg(text, heading));
    this.#link.textContent = text;
    this.#link.hidden = false;
    this.#key = null;
    this.#onTextClose = onClose;
    if (!this.#dialog.open) this.#dialog.showModal();
  }

  close(): void {
    if (this.#dialog.open) this.#dialog.close();
  }
}
