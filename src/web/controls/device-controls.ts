import type { PageSettings } from '../app-state.js';
import type { LockDb } from '../device-lock.js';
import { SESSION_MESSAGES } from '../session-messages.js';
import type { Remembered } from '../remember-storage.js';
import { requireElement } from '../views/dom.js';
import type { QrDialog } from '../views/qr-dialog.js';
import type { PageContext } from './page-context.js';

const MIN_PIN_LENGTH = 6;

/** What the lazy panel gets from the page (passed in, so this chunk shares no module with it). */
export interface DeviceHooks {
  readonly db: LockDb;
  /** The pairing link of the open session (`#pair-id=…&pair-secret=…`), or `null`. */
  pairLink(): string | null;
  saveSettings(settings: PageSettings): void;
  remembering(): boolean;
  rememberLock(lock: Remembered['lock']): void;
  currentLock(): Remembered['lock'];
}

/**
 * "This device": a PIN or passkey instead of a stored Secret (the lazy device-lock chunk), the
 * settings (hide codes, auto-lock), the auto-lock itself, and "Pair another device" (the pairing link
 * as a QR code).
 */
export function wireDeviceControls(context: PageContext, qrDialog: QrDialog, hooks: DeviceHooks): { render(): void } {
  const { store } = context;
  const lockForm = requireElement('lock-form', HTMLFormElement);
  const pin = requireElement('lock-pin', HTMLInputElement);
  const passkey = requireElement('lock-passkey', HTMLButtonElement);
  const remove = requireElement('lock-remove', HTMLButtonElement);
  const status = requireElement('lock-status', HTMLElement);
  const hideCodes = requireElement('hide-codes', HTMLInputElement);
  const lockHidden = requireElement('lock-hidden', HTMLInputElement);
  const idle = requireElement('idle-minutes', HTMLInputElement);
  const pairButton = requireElement('pair-button', HTMLButtonElement);

  passkey.hidden = typeof PublicKeyCredential !== 'function';

  function changeSettings(patch: Partial<PageSettings>): void {
    const settings = { ...store.state.settings, ...patch };
    hooks.saveSettings(settings);
    store.update({ settings, revealed: null });
  }
  hideCodes.addEventListener('change', () => {
    changeSettings({ hideCodes: hideCodes.checked });
  });
  lockHidden.addEventListener('change', () => {
    changeSettings({ lockWhenHidden: lockHidden.checked });
  });
  idle.addEventListener('change', () => {
    const minutes = Number(idle.value);
    if (Number.isInteger(minutes) && minutes >= 0 && minutes <= 240) changeSettings({ idleMinutes: minutes });
  });

  async function withSession(run: (id: string, key: Uint8Array<ArrayBuffer>) => Promise<string>): Promise<void> {
    const session = store.state.session;
    if (session === null || store.state.busy) return;
    if (!hooks.remembering()) {
      store.update({ notice: { tone: 'error', text: SESSION_MESSAGES.lockNeedsRemember } });
      return;
    }
    store.update({ busy: true });
    let text: string;
    let tone: 'info' | 'error' = 'info';
    try {
      text = await run(session.id, session.key);
    } catch {
      text = SESSION_MESSAGES.deviceUnlockFailed;
      tone = 'error';
    }
    store.update({
      busy: false,
      notice: { tone: text === SESSION_MESSAGES.passkeyUnsupported ? 'error' : tone, text },
    });
  }

  lockForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (pin.value.length < MIN_PIN_LENGTH) {
      store.update({ notice: { tone: 'error', text: SESSION_MESSAGES.pinTooShort } });
      pin.focus();
      return;
    }
    const chosen = pin.value;
    pin.value = '';
    void withSession(async (id, key) => {
      const { lockWithPin } = await import('../device-lock.js');
      await lockWithPin(hooks.db, id, key, chosen);
      hooks.rememberLock('pin');
      return SESSION_MESSAGES.lockSaved;
    });
  });
  passkey.addEventListener('click', () => {
    void withSession(async (id, key) => {
      const { lockWithPasskey } = await import('../device-lock.js');
      if ((await lockWithPasskey(hooks.db, id, key)) !== 'ok') return SESSION_MESSAGES.passkeyUnsupported;
      hooks.rememberLock('passkey');
      return SESSION_MESSAGES.passkeySaved;
    });
  });
  remove.addEventListener('click', () => {
    void withSession(async () => {
      const { removeLock } = await import('../device-lock.js');
      await removeLock(hooks.db);
      hooks.rememberLock(undefined);
      return SESSION_MESSAGES.lockRemoved;
    });
  });

  pairButton.addEventListener('click', () => {
    const link = hooks.pairLink();
    if (link === null) return;
    qrDialog
      .openText('Pair another device', link, SESSION_MESSAGES.pairWarning, () => {
        pairButton.focus();
      })
      .catch(() => {
        store.update({ notice: { tone: 'error', text: SESSION_MESSAGES.qrDrawFailed } });
      });
  });

  return {
    render: () => {
      const { settings } = store.state;
      hideCodes.checked = settings.hideCodes;
      lockHidden.checked = settings.lockWhenHidden;
      if (document.activeElement !== idle) idle.value = String(settings.idleMinutes);
      const lock = hooks.currentLock();
      remove.hidden = lock === undefined;
      status.textContent =
        lock === 'pin'
          ? 'This device unlocks with a PIN or passphrase. Setting a new one replaces it.'
          : lock === 'passkey'
            ? 'This device unlocks with a passkey.'
            : 'No PIN or passkey: the Open2FA Secret (or the UUID) is needed to open the codes here.';
    },
  };
}
