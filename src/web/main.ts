import { entryCode } from '../core/entry.js';
import { createApiClient } from './api-client.js';
import { createV2ApiClient } from './api-v2-client.js';
import { createActions } from './app-actions.js';
import { AppStore } from './app-state.js';
import { deriveFromUuid, readCredentials } from './credentials.js';
import { displayName } from './entries.js';
import type { ImportPanel } from './import-panel.js';
import { MESSAGES } from './messages.js';
import { parseNewEntry } from './new-entry.js';
import { forgetRemembered, loadRemembered, saveRemembered } from './remember-storage.js';
import { startTicker } from './server-clock.js';
import { requireElement } from './views/dom.js';
import { EntriesView } from './views/entries-view.js';
import { PageView } from './views/page-view.js';
import { QrDialog } from './views/qr-dialog.js';

// Events → actions/state → views. This file only wires DOM events to intents.
const store = new AppStore();
const actions = createActions(store, createApiClient(), createV2ApiClient());
const page = new PageView();
const list = new EntriesView(
  requireElement('entry-list', HTMLUListElement),
  requireElement('entries-empty', HTMLElement),
  requireElement('entries-count', HTMLElement),
);
const now = (): number => Date.now() + store.state.clockOffsetMs;
const qrDialog = new QrDialog((key) => {
  list.focus(key, 'qr');
});

const unlockForm = requireElement('unlock-form', HTMLFormElement);
const idInput = requireElement('open2fa-id', HTMLInputElement);
const secretInput = requireElement('open2fa-secret', HTMLInputElement);
const toggleSecret = requireElement('toggle-secret', HTMLButtonElement);
const rememberId = requireElement('remember-id', HTMLInputElement);
const rememberSecret = requireElement('remember-secret', HTMLInputElement);
const rememberWarning = requireElement('remember-secret-warning', HTMLElement);
const searchInput = requireElement('search', HTMLInputElement);
const entryList = requireElement('entry-list', HTMLUListElement);
const addForm = requireElement('add-form', HTMLFormElement);
const addSecret = requireElement('add-secret', HTMLInputElement);
const addName = requireElement('add-name', HTMLInputElement);
const addImage = requireElement('add-image', HTMLInputElement);
const importForm = requireElement('import-form', HTMLFormElement);
const importFile = requireElement('import-file', HTMLInputElement);

store.subscribe((state, previous) => {
  page.render(state, previous);
  list.render(state, now());
  if (state.session === null && previous.session !== null) {
    secretInput.value = '';
    importForm.reset();
    qrDialog.close();
  }
});
page.render(store.state, null);
list.render(store.state, now());
startTicker(now, (time) => {
  list.tick(time);
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') list.tick(now());
});

// --- Unlock form -------------------------------------------------------------------------------

idInput.addEventListener('input', () => {
  void deriveFromUuid(idInput.value).then((derived) => {
    if (derived === null) return;
    idInput.value = derived.id;
    secretInput.value = derived.secret;
    page.announce(MESSAGES.derivedFromUuid);
  });
});

toggleSecret.addEventListener('click', () => {
  const show = secretInput.type === 'password';
  secretInput.type = show ? 'text' : 'password';
  toggleSecret.textContent = show ? 'Hide' : 'Show';
  toggleSecret.setAttribute('aria-pressed', String(show));
});

unlockForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void unlock();
});

async function unlock(): Promise<void> {
  // A UUID typed (not pasted) into the ID field still works: derive before reading the fields.
  const derived = await deriveFromUuid(idInput.value);
  if (derived !== null) {
    idInput.value = derived.id;
    secretInput.value = derived.secret;
  }
  const credentials = readCredentials(idInput.value, secretInput.value);
  if (!credentials.ok) {
    store.update({ notice: { tone: 'error', text: credentials.message } });
    (credentials.field === 'id' ? idInput : secretInput).focus();
    return;
  }
  if (!(await actions.unlock(credentials.session))) return;
  persistRemembered(credentials.session.id, secretInput.value.trim());
  searchInput.focus();
}

function persistRemembered(id: string, secret: string): void {
  if (!rememberId.checked) forgetRemembered();
  else saveRemembered(rememberSecret.checked ? { id, secret } : { id });
}

function syncRememberControls(): void {
  rememberSecret.disabled = !rememberId.checked;
  if (!rememberId.checked) rememberSecret.checked = false;
  rememberWarning.hidden = !rememberSecret.checked;
}

rememberId.addEventListener('change', () => {
  syncRememberControls();
  if (!rememberId.checked) forgetRemembered();
});
rememberSecret.addEventListener('change', () => {
  syncRememberControls();
  const stored = loadRemembered();
  // Turning the Secret off wipes it at once; turning it on stores it at the next unlock.
  if (!rememberSecret.checked && stored !== null) saveRemembered({ id: stored.id });
});

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-action="forget"]')) {
  button.addEventListener('click', () => {
    forgetRemembered();
    rememberId.checked = false;
    syncRememberControls();
    idInput.value = '';
    secretInput.value = '';
    actions.lock(MESSAGES.forgotten);
    idInput.focus();
  });
}
requireElement('lock-button', HTMLButtonElement).addEventListener('click', () => {
  actions.lock();
  secretInput.focus();
});

// --- Entries -----------------------------------------------------------------------------------

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
      void copyCode(key);
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

// --- Add -----------------------------------------------------------------------------------------

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
    const { decodeQrImage } = await import('./qr-image.js');
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
  if (text === null) return;
  addSecret.value = text;
  const parsed = parseNewEntry(text);
  if (parsed.ok && parsed.name !== null && addName.value.trim() === '') addName.value = parsed.name;
  store.update({
    notice: parsed.ok ? { tone: 'info', text: MESSAGES.qrRead } : { tone: 'error', text: parsed.message },
  });
  addName.focus();
}

// --- Import ----------------------------------------------------------------------------------------

// The import code (the panel and every format's parser) is a lazy chunk, fetched at the first use.
let importPanel: Promise<ImportPanel> | undefined;

function withImportPanel(use: (panel: ImportPanel) => Promise<void> | void): void {
  importPanel ??= import('./import-panel.js').then(({ createImportPanel }) =>
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

// --- Remembered credentials ------------------------------------------------------------------------

const remembered = loadRemembered();
if (remembered !== null) {
  idInput.value = remembered.id;
  rememberId.checked = true;
  rememberSecret.checked = remembered.secret !== undefined;
  if (remembered.secret !== undefined) secretInput.value = remembered.secret;
}
syncRememberControls();
if (remembered?.secret !== undefined) void unlock();
else (remembered === null ? idInput : secretInput).focus();
