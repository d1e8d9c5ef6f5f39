// First: the pairing fragment leaves the address bar and the history before anything else runs.
import { pairing, pairingMalformed } from './pair-start.js';
import { createActions } from './actions/index.js';
import { lazyApiClients } from './lazy-api.js';
import { AppStore, INITIAL_STATE } from './app-state.js';
import { wireAccountControls } from './controls/account-controls.js';
import { wireAddControls } from './controls/add-controls.js';
import { wireCameraControls } from './controls/camera-controls.js';
import { wireAutoLock } from './controls/auto-lock.js';
import { wireEntryControls } from './controls/entry-controls.js';
import type { PageContext } from './controls/page-context.js';
import { wireUnlockControls } from './controls/unlock-controls.js';
import { IDB } from './idb.js';
import { MESSAGES } from './messages.js';
import { withOfflineCopy } from './offline/offline-copy.js';
import { registerServiceWorker } from './offline/service-worker-client.js';
import { encodeBase58 } from '../core/encoding.js';
import { formatPairLink, parsePairFragment } from './pair-link.js';
import { loadSettings, saveSettings } from './page-settings.js';
import { loadRemembered } from './remember-storage.js';
import { startTicker } from './server-clock.js';
import { requireElement } from './views/dom.js';
import { EntriesView } from './views/entries-view.js';
import { PageView } from './views/page-view.js';
import { QrDialog } from './views/qr-dialog.js';

// Events (controls/) → actions and state → views. This file only builds the parts and connects them.
const store = new AppStore({ ...INITIAL_STATE, settings: loadSettings() });
const list = new EntriesView(
  requireElement('entry-list', HTMLUListElement),
  requireElement('entries-empty', HTMLElement),
  requireElement('entries-count', HTMLElement),
);
const rememberId = requireElement('remember-id', HTMLInputElement);
// The offline copy (ciphertexts in IndexedDB) is kept only on a device the person asked to remember.
const lazy = lazyApiClients();
const clients = withOfflineCopy(lazy.api, lazy.apiV2, () => rememberId.checked);
const context: PageContext = {
  store,
  actions: createActions(store, clients.api, clients.apiV2, clients.tracker),
  page: new PageView(),
  list,
  now: () => Date.now() + store.state.clockOffsetMs,
};
const qrDialog = new QrDialog((key) => {
  list.focus(key, 'qr');
});
const searchInput = requireElement('search', HTMLInputElement);
const camera = wireCameraControls(context);
const unlock = wireUnlockControls(context, searchInput);
wireEntryControls(context, searchInput, qrDialog);
const add = wireAddControls(context, camera.scan);
wireAccountControls(context, () => {
  searchInput.focus();
});
const autoLock = wireAutoLock(context);
let sessionPanels: Promise<void> | undefined;

requireElement('pair-scan', HTMLButtonElement).addEventListener('click', () => {
  void camera
    .scan((text) => parsePairFragment(new URL(text, location.href).hash) !== null)
    .then((text) => {
      const credentials = text === null ? null : parsePairFragment(new URL(text, location.href).hash);
      if (credentials !== null) void unlock.unlockPaired(credentials);
    });
});

store.subscribe((state, previous) => {
  context.page.render(state, previous);
  list.render(state, context.now());
  autoLock.render();
  if (state.session !== null) {
    // This device, Export and Pair: a lazy chunk, wired at the first unlock.
    sessionPanels ??= import('./session-panels.js').then(({ wireSessionPanels }) => {
      wireSessionPanels(context, qrDialog, {
        pairLink: () => {
          const { session } = store.state;
          return session === null
            ? null
            : formatPairLink(location.href, { kind: 'id-secret', id: session.id, secret: encodeBase58(session.key) });
        },
        saveSettings,
        db: IDB,
        trashDb: IDB,
        remembering: () => unlock.remembering(),
        rememberLock: (lock) => {
          unlock.rememberLock(lock);
        },
        currentLock: () => loadRemembered()?.lock,
      });
    });
  }
  if (state.session === null && previous.session !== null) {
    // Locked: nothing secret stays in the page's fields or dialogs.
    unlock.clearSecret();
    add.resetImport();
    qrDialog.close();
    camera.close();
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

if (pairing !== null) void unlock.unlockPaired(pairing);
else {
  unlock.restoreRemembered();
  if (pairingMalformed) store.update({ notice: { tone: 'error', text: MESSAGES.pairFailed } });
}
registerServiceWorker();
