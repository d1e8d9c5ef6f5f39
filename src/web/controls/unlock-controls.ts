import { deriveFromUuid, readCredentials } from '../credentials.js';
import { MESSAGES } from '../messages.js';
import { forgetRemembered, loadRemembered, saveRemembered } from '../remember-storage.js';
import { requireElement } from '../views/dom.js';
import type { PageContext } from './page-context.js';

/** The controls of the unlock form, and what `main.ts` needs from them. */
export interface UnlockControls {
  /** Empties the Secret field (after a lock, so it is not left in the page). */
  clearSecret(): void;
  /** Fills the form from what this browser remembers, and unlocks at once if the Secret is remembered. */
  restoreRemembered(): void;
}

/**
 * The unlock form: a UUID typed or pasted into the ID field is turned into the ID and Secret, the
 * Secret can be shown, and the ID (optionally the Secret) remembered in this browser.
 */
export function wireUnlockControls(context: PageContext, searchInput: HTMLInputElement): UnlockControls {
  const { store, actions, page } = context;
  const unlockForm = requireElement('unlock-form', HTMLFormElement);
  const idInput = requireElement('open2fa-id', HTMLInputElement);
  const secretInput = requireElement('open2fa-secret', HTMLInputElement);
  const toggleSecret = requireElement('toggle-secret', HTMLButtonElement);
  const rememberId = requireElement('remember-id', HTMLInputElement);
  const rememberSecret = requireElement('remember-secret', HTMLInputElement);
  const rememberWarning = requireElement('remember-secret-warning', HTMLElement);

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

  return {
    clearSecret: () => {
      secretInput.value = '';
    },
    restoreRemembered: () => {
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
    },
  };
}
