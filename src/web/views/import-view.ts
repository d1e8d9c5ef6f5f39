import type { AppState, ImportPreview } from '../app-state.js';
import { importOutcome } from '../import-messages.js';
import { el, requireElement } from './dom.js';

/** The import preview: one row per entry found, with what Import will do, and the Import button. */
export class ImportView {
  readonly #panel = requireElement('import-preview', HTMLElement);
  readonly #summary = requireElement('import-summary', HTMLElement);
  readonly #rows = requireElement('import-rows', HTMLUListElement);
  readonly #warnings = requireElement('import-warnings', HTMLElement);
  readonly #button = requireElement('import-button', HTMLButtonElement);
  #shown: ImportPreview | null = null;

  render(state: AppState): void {
    const preview = state.importPreview;
    this.#button.disabled = state.busy || preview === null || addCount(preview) === 0;
    if (preview === this.#shown) return;
    this.#shown = preview;
    this.#panel.hidden = preview === null;
    if (preview === null) {
      // Names and labels of a previous preview are not left in the page.
      this.#rows.replaceChildren();
      return;
    }
    const adds = addCount(preview);
    const found = preview.rows.length;
    this.#summary.textContent = `${preview.format}: ${count(found, 'entry', 'entries')} found, ${String(adds)} to add. Nothing is sent until you press Import.`;
    this.#rows.replaceChildren(
      ...preview.rows.map((row) =>
        el(
          'li',
          { className: `import-row ${row.status}` },
          // The name an added entry gets (a Google transfer's label omits the issuer); else where it was.
          row.status === 'add'
            ? el('span', {
                className: 'import-name',
                text: row.entry.name ?? 'Unnamed',
                attributes: { title: row.label },
              })
            : el('span', { className: 'import-name', text: row.label }),
          el('span', { className: 'import-outcome', text: importOutcome(row) }),
        ),
      ),
    );
    this.#warnings.textContent = preview.warnings.join(' ');
    this.#warnings.hidden = preview.warnings.length === 0;
    this.#button.textContent = adds === 0 ? 'Nothing to import' : `Import ${count(adds, 'entry', 'entries')}`;
  }

  /**
   * The password form of an encrypted export, placed after the import form (built here: the page's
   * markup has no place for it until a file needs it). `show(null)` hides it.
   */
  passwordField(after: HTMLElement): PasswordField {
    const input = el('input', {
      attributes: {
        id: 'import-password',
        type: 'password',
        autocomplete: 'off',
        'aria-describedby': 'import-password-hint',
      },
    });
    const hint = el('p', { className: 'hint', attributes: { id: 'import-password-hint' } });
    const form = el(
      'form',
      { className: 'field', attributes: { id: 'import-password-form', novalidate: '' } },
      el('label', { text: 'Password of the export', attributes: { for: 'import-password' } }),
      input,
      hint,
      el(
        'div',
        { className: 'buttons' },
        el('button', { text: 'Open', attributes: { id: 'import-password-open', type: 'submit' } }),
      ),
    );
    form.hidden = true;
    after.after(form);
    return {
      form,
      input,
      show(request) {
        form.hidden = request === null;
        hint.textContent =
          request === 'wrong'
            ? 'That password did not open the file: check it (exports keep the password they were made with) and try again.'
            : 'The file is encrypted. It is decrypted here, in this page; the password is not sent anywhere.';
        if (request !== null) input.focus();
      },
    };
  }

  /** Moves focus to the summary, so a keyboard or screen reader user lands on the preview. */
  focus(): void {
    this.#summary.focus();
  }
}

/** The password form of `ImportView.passwordField`. */
export interface PasswordField {
  readonly form: HTMLFormElement;
  readonly input: HTMLInputElement;
  show(request: 'needed' | 'wrong' | null): void;
}

function addCount(preview: ImportPreview): number {
  return preview.rows.filter((row) => row.status === 'add').length;
}

function count(value: number, one: string, many: string): string {
  return `${String(value)} ${value === 1 ? one : many}`;
}
