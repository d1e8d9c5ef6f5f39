import type { Credentials } from '../app-state.js';
import { deriveFromUuid, readCredentials } from '../credentials.js';
import { IDB, idbClear } from '../idb.js';
import { MESSAGES } from '../messages.js';
import type { PairCredentials } from '../pair-link.js';
import { forgetRemembered, loadRemembered, saveRemembered, type Remembered } from '../remember-storage.js';
import { requireElement } from '../views/dom.js';
import type { PageContext } from './page-context.js';

/** The controls of the unlock form, and what `main.ts` needs from them. */
export interface UnlockControls {
  /** Empties the Secret fields (after a lock, so it is not left in the page). */
  clearSecret(): void;
  /** Opens the codes from a pairing link, with nothing typed. */
  unlockPaired(credentials: PairCredentials): Promise<void>;
  /** Fills the form from what this browser remembers (migrating a Secret kept by older pages). */
  restoreRemembered(): void;
  /** Whether "Remember my Open2FA ID" is on (the offline copy is kept only then). */
  remembering(): boolean;
  /** Records which lock opens this device now (after "This device" set or removed one). */
  rememberLock(lock: Remembered['lock']): void;
}

/**
 * The unlock form: a UUID typed or pasted into the ID field is turned into the ID and Secret, the
 * Secret can be shown, the ID remembered in this browser, and a device lock (PIN or passkey) opens it.
 */
export function wireUnlockControls(context: PageContext, searchInput: HTMLInputElement): UnlockControls {
  const { store, actions, page } = context;
  const unlockForm = requireElement('unlock-form', HTMLFormElement);
  const idInput = requireElement('open2fa-id', HTMLInputElement);
  const secretInput = requireElement('open2fa-secret', HTMLInputElement);
  const toggleSecret = requireElement('toggle-secret', HTMLButtonElement);
  const rememberId = requireElement('remember-id', HTMLInputElement);
  const deviceForm = requireElement('device-unlock', HTMLFormElement);
  const devicePin = requireElement('device-pin', HTMLInputElement);
  const devicePasskey = requireElement('device-passkey-button', HTMLButtonElement);

  idInput.addEventListener('input', () => {
    void deriveFromUuid(idInput.value).then((derived) => {
      if (derived === null) return;
      idInput.value = derived.id;
      secretInput.value = derived.secret;
      // A valid UUID fills both fields: an earlier "Secret is not valid" no longer applies.
      if (store.state.notice?.tone === 'error') store.update({ notice: null });
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
    await opened(credentials.session, await actions.unlock(credentials.session, { askIfEmpty: true }));
  }

  async function opened(credentials: Credentials, open: boolean): Promise<void> {
    if (!open) {
      if (store.state.emptyCheck !== null) requireElement('empty-new', HTMLButtonElement).focus();
      return;
    }
    persistRemembered(credentials.id);
    searchInput.focus();
    return Promise.resolve();
  }

  requireElement('empty-new', HTMLButtonElement).addEventListener('click', () => {
    const session = store.state.emptyCheck;
    if (session !== null && actions.confirmEmpty()) void opened(session, true);
  });
  requireElement('empty-typo', HTMLButtonElement).addEventListener('click', () => {
    actions.cancelEmpty();
    idInput.focus();
  });

  const forgetButtons = document.querySelectorAll<HTMLButtonElement>('[data-action="forget"]');
  /**
   * "Forget this device" only while something is kept here: to a newcomer it is a riddle, and on a phone it
   * pushed "Create an account" off the first screen.
   */
  function showForget(): void {
    const kept = loadRemembered() !== null;
    for (const button of forgetButtons) button.hidden = !kept;
  }
  showForget();

  function persistRemembered(id: string): void {
    if (!rememberId.checked) {
      forgetRemembered();
      showForget();
      return;
    }
    const previous = loadRemembered();
    // A lock belongs to one ID: remembering another one drops the marker (the wrapped key stays unusable).
    saveRemembered(previous?.id === id && previous.lock !== undefined ? { id, lock: previous.lock } : { id });
    showForget();
  }

  rememberId.addEventListener('change', () => {
    if (!rememberId.checked) void forgetDevice();
  });

  async function forgetDevice(): Promise<void> {
    forgetRemembered();
    showForget();
    try {
      await idbClear();
    } catch {
      // No IndexedDB: nothing was kept there.
    }
    deviceForm.hidden = true;
  }

  for (const button of forgetButtons) {
    button.addEventListener('click', () => {
      void forgetDevice();
      rememberId.checked = false;
      idInput.value = '';
      secretInput.value = '';
      actions.lock(MESSAGES.forgotten);
      idInput.focus();
    });
  }
  requireElement('lock-button', HTMLButtonElement).addEventListener('click', () => {
    actions.lock();
    (deviceForm.hidden ? secretInput : devicePin).focus();
  });

  // A device lock: the wrapped keys are opened by the lazy device-lock chunk (the KDF and WebAuthn).
  deviceForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void unlockDevice('pin');
  });
  devicePasskey.addEventListener('click', () => {
    void unlockDevice('passkey');
  });

  async function unlockDevice(kind: 'pin' | 'passkey'): Promise<void> {
    const remembered = loadRemembered();
    if (remembered === null || store.state.busy) return;
    store.update({ busy: true, notice: null });
    let key: Uint8Array<ArrayBuffer> | null = null;
    try {
      const lock = await import('../device-lock.js');
      key =
        kind === 'pin'
          ? await lock.unlockWithPin(IDB, remembered.id, devicePin.value)
          : await lock.unlockWithPasskey(IDB, remembered.id);
    } catch {
      key = null;
    }
    devicePin.value = '';
    store.update({ busy: false });
    if (key === null) {
      store.update({ notice: { tone: 'error', text: MESSAGES.deviceUnlockFailed } });
      devicePin.focus();
      return;
    }
    if (await actions.unlock({ id: remembered.id, key })) searchInput.focus();
  }

  function showDeviceForm(remembered: Remembered): void {
    deviceForm.hidden = remembered.lock === undefined;
    devicePasskey.hidden = remembered.lock !== 'passkey';
    requireElement('device-pin-button', HTMLButtonElement).hidden = remembered.lock !== 'pin';
    devicePin.closest('.field')?.toggleAttribute('hidden', remembered.lock !== 'pin');
  }

  return {
    clearSecret: () => {
      secretInput.value = '';
      devicePin.value = '';
    },
    unlockPaired: async (credentials) => {
      const derived =
        credentials.kind === 'uuid'
          ? await deriveFromUuid(credentials.uuid)
          : { id: credentials.id, secret: credentials.secret };
      const read = derived === null ? null : readCredentials(derived.id, derived.secret);
      if (read?.ok !== true) {
        store.update({ notice: { tone: 'error', text: MESSAGES.pairFailed } });
        return;
      }
      if (await actions.unlock(read.session)) searchInput.focus();
    },
    restoreRemembered: () => {
      showForget();
      const remembered = loadRemembered();
      if (remembered === null) {
        idInput.focus();
        return;
      }
      idInput.value = remembered.id;
      rememberId.checked = true;
      if (remembered.secret !== undefined) {
        // Pages before the device lock kept the Secret in clear: use it once, then wipe it.
        const secret = remembered.secret;
        saveRemembered({ id: remembered.id });
        secretInput.value = secret;
        void unlock().then(() => {
          secretInput.value = '';
          if (store.state.session !== null) store.update({ notice: { tone: 'info', text: MESSAGES.migrated } });
        });
        return;
      }
      showDeviceForm(remembered);
      (remembered.lock === 'pin' ? devicePin : remembered.lock === 'passkey' ? devicePasskey : secretInput).focus();
    },
    remembering: () => rememberId.checked,
    rememberLock: (lock) => {
      const remembered = loadRemembered();
      if (remembered === null) return;
      const next = lock === undefined ? { id: remembered.id } : { id: remembered.id, lock };
      saveRemembered(next);
      showDeviceForm(next);
    },
  };
}
