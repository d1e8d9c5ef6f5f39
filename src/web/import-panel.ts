import type { Actions } from './actions/index.js';
import type { AppStore } from './app-state.js';
import { createImportActions, type ReadQrImage } from './import-actions.js';
import { requireElement } from './views/dom.js';
import { ImportView } from './views/import-view.js';

export interface ImportPanel {
  /** Previews the pasted text (the Preview button). */
  previewText(): void;
  /** Previews the chosen file (a file replaces whatever was pasted). */
  previewFile(): Promise<void>;
}

/**
 * The Import section once it is first used (a lazy chunk, with the parsers it loads): renders the
 * preview and wires Import and Discard. `main.ts` only forwards the first events here. Nothing is
 * sent before Import is pressed.
 */
export function createImportPanel(store: AppStore, actions: Actions, readQrImage: ReadQrImage): ImportPanel {
  const importActions = createImportActions(store, actions, readQrImage);
  const view = new ImportView();
  const form = requireElement('import-form', HTMLFormElement);
  const text = requireElement('import-text', HTMLTextAreaElement);
  const file = requireElement('import-file', HTMLInputElement);

  // The password field of encrypted exports, shown only while a chosen file waits for its password.
  const password = view.passwordField(form);
  const showPassword = (): void => {
    password.show(importActions.passwordRequest());
  };

  password.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const typed = password.input.value;
    void importActions.unlock(typed).then((shown) => {
      // The password is not kept in the page once it opened the file (or failed to).
      password.input.value = '';
      showPassword();
      previewed(shown);
    });
  });

  store.subscribe((state) => {
    view.render(state);
  });
  view.render(store.state);

  const previewed = (shown: boolean): void => {
    if (shown) view.focus();
  };

  requireElement('import-button', HTMLButtonElement).addEventListener('click', () => {
    void importActions.confirm().then(() => {
      if (store.state.importPreview !== null) return;
      form.reset();
      text.focus();
    });
  });

  requireElement('import-discard', HTMLButtonElement).addEventListener('click', () => {
    importActions.discard();
    showPassword();
    text.focus();
  });

  return {
    previewText() {
      void importActions.preview(text.value).then((shown) => {
        showPassword();
        previewed(shown);
      });
    },
    async previewFile() {
      const chosen = file.files?.[0];
      if (chosen === undefined) return;
      text.value = '';
      const shown = await importActions.previewFile(chosen);
      file.value = '';
      showPassword();
      previewed(shown);
    },
  };
}
