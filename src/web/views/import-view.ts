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

  /** Moves focus to the summary, so a keyboard or screen reader user lands on the preview. */
  focus(): void {
    this.#summary.focus();
  }
}

function addCount(preview: ImportPreview): number {
  return preview.rows.filter((row) => row.status === 'add').length;
}

function count(value: number, one: string, many: string): string {
  return `${String(value)} ${value === 1 ? one : many}`;
}
