import { createApiClient } from './api-client.js';
import { createV2ApiClient } from './api-v2-client.js';
import { createActions } from './actions/index.js';
import { AppStore } from './app-state.js';
import { wireAddControls } from './controls/add-controls.js';
import { wireEntryControls } from './controls/entry-controls.js';
import type { PageContext } from './controls/page-context.js';
import { wireUnlockControls } from './controls/unlock-controls.js';
import { startTicker } from './server-clock.js';
import { requireElement } from './views/dom.js';
import { EntriesView } from './views/entries-view.js';
import { PageView } from './views/page-view.js';
import { QrDialog } from './views/qr-dialog.js';

// Events (controls/) → actions and state → views. This file only builds the parts and connects them.
const store = new AppStore();
const list = new EntriesView(
  requireElement('entry-list', HTMLUListElement),
  requireElement('entries-empty', HTMLElement),
  requireElement('entries-count', HTMLElement),
);
const context: PageContext = {
  store,
  actions: createActions(store, createApiClient(), createV2ApiClient()),
  page: new PageView(),
  list,
  now: () => Date.now() + store.state.clockOffsetMs,
};
const qrDialog = new QrDialog((key) => {
  list.focus(key, 'qr');
});
const searchInput = requireElement('search', HTMLInputElement);
const unlock = wireUnlockControls(context, searchInput);
wireEntryControls(context, searchInput, qrDialog);
const add = wireAddControls(context);

store.subscribe((state, previous) => {
  context.page.render(state, previous);
  list.render(state, context.now());
  if (state.session === null && previous.session !== null) {
    // Locked: nothing secret stays in the page's fields or dialogs.
    unlock.clearSecret();
    add.resetImport();
    qrDialog.close();
  }
});
context.page.render(store.state, null);
list.render(store.state, context.now());
startTicker(context.now, (time) => {
  list.tick(time);
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') list.tick(context.now());
});

unlock.restoreRemembered();
