import { entryCode } from '../../core/entry/codes.js';
import { displayName } from '../entries.js';
import { MESSAGES } from '../messages.js';
import { requireElement } from '../views/dom.js';
import type { QrDialog } from '../views/qr-dialog.js';
import type { PageContext } from './page-context.js';

/**
 * The search field and the entry list: one delegated listener per event type reads the entry's key
 * and the button's `data-action` (copy, next HOTP code, rename, delete, QR code).
 */
export function wireEntryControls(context: PageContext, searchInput: HTMLInputElement, qrDialog: QrDialog): void {
  const { store, actions, page, list, now } = context;
  const entryList = requireElement('entry-list', HTMLUListElement);

  searchInput.addEventListener('input', () => {
    store.update({ query: searchInput.value });
  });
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
    if (event.key === '/' && !typing && store.state.session !== null) {
      event.preventDefault();
      searchInput.focus();
    }
  });

  entryList.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-action]') : null;
    const key = target?.closest<HTMLElement>('li[data-key]')?.dataset.key;
    const action = target?.dataset.action;
    if (action === undefined || key === undefined) return;
    switch (action) {
      case 'copy':
        if (store.state.settings.hideCodes && store.state.revealed !== key) {
          store.update({ revealed: key });
          list.focus(key, 'code');
        } else void copyCode(key);
        break;
      case 'next-code':
        void actions.nextCode(key).then((saved) => {
          if (saved) list.focus(key, 'code');
        });
        break;
      case 'rename':
      case 'delete':
        store.update({ editing: { key, mode: action } });
        list.focus(key, 'field');
        break;
      case 'cancel':
        closeEditor(key);
        break;
      case 'qr':
        void showQr(key);
        break;
      case 'confirm-delete':
        void actions.remove(key).then((removed) => {
          if (removed) searchInput.focus();
        });
        break;
    }
  });

  entryList.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    const key = form instanceof HTMLFormElement ? form.closest<HTMLElement>('li[data-key]')?.dataset.key : undefined;
    const input = form instanceof HTMLFormElement ? form.elements.namedItem('name') : null;
    if (key === undefined || !(input instanceof HTMLInputElement)) return;
    void actions.rename(key, input.value).then((renamed) => {
      if (renamed) list.focus(key, 'rename');
    });
  });

  entryList.addEventListener('keydown', (event) => {
    const key =
      event.target instanceof Element ? event.target.closest<HTMLElement>('li[data-key]')?.dataset.key : undefined;
    if (event.key === 'Escape' && key !== undefined && store.state.editing !== null) closeEditor(key);
  });

  function closeEditor(key: string): void {
    const mode = store.state.editing?.mode ?? 'rename';
    store.update({ editing: null });
    list.focus(key, mode === 'rename' ? 'rename' : 'code');
  }

  async function copyCode(key: string): Promise<void> {
    const entry = store.state.entries.find((candidate) => candidate.key === key);
    if (entry === undefined) return;
    try {
      await navigator.clipboard.writeText(entryCode(entry, now()));
      page.announce(`Copied the code for ${displayName(entry)}.`);
      list.markCopied(key);
    } catch {
      page.announce('Could not copy: select the code and copy it yourself.');
    }
  }

  async function showQr(key: string): Promise<void> {
    const entry = store.state.entries.find((candidate) => candidate.key === key);
    if (entry === undefined) return;
    try {
      await qrDialog.open(entry);
    } catch {
      store.update({ notice: { tone: 'error', text: MESSAGES.qrDrawFailed } });
    }
  }
}
