import type { AppState } from '../app-state.js';
import { offlineNotice } from '../messages.js';
import { describeSkew } from '../server-clock.js';
import { requireElement } from './dom.js';

/** Everything outside the list: which sections show, the notice, the clock notice, busy state. */
export class PageView {
  readonly #unlockSection = requireElement('unlock-section', HTMLElement);
  readonly #sessionBar = requireElement('session-bar', HTMLElement);
  readonly #sessionId = requireElement('session-id', HTMLElement);
  readonly #entriesSection = requireElement('entries-section', HTMLElement);
  readonly #addSection = requireElement('add-section', HTMLElement);
  readonly #importSection = requireElement('import-section', HTMLElement);
  readonly #startSection = requireElement('start-section', HTMLElement);
  readonly #kitSection = requireElement('kit-section', HTMLElement);
  readonly #emptyCheck = requireElement('empty-check', HTMLElement);
  readonly #exportSection = requireElement('export-section', HTMLElement);
  readonly #deviceSection = requireElement('device-section', HTMLElement);
  readonly #offlineNotice = requireElement('offline-notice', HTMLElement);
  readonly #notice = requireElement('notice', HTMLElement);
  readonly #clockNotice = requireElement('clock-notice', HTMLElement);
  readonly #busyButtons = [
    requireElement('unlock-button', HTMLButtonElement),
    requireElement('add-button', HTMLButtonElement),
    requireElement('import-preview-button', HTMLButtonElement),
    requireElement('device-pin-button', HTMLButtonElement),
    requireElement('lock-pin-save', HTMLButtonElement),
    requireElement('backup-button', HTMLButtonElement),
    requireElement('restore-button', HTMLButtonElement),
  ];
  readonly #toast = requireElement('toast', HTMLElement);
  #toastTimer: ReturnType<typeof setTimeout> | undefined;

  render(state: AppState, previous: AppState | null): void {
    const unlocked = state.session !== null;
    const kit = state.kit !== null;
    this.#unlockSection.hidden = unlocked || kit;
    this.#startSection.hidden = unlocked || kit;
    this.#kitSection.hidden = !kit;
    this.#emptyCheck.hidden = state.emptyCheck === null;
    this.#exportSection.hidden = !unlocked;
    this.#deviceSection.hidden = !unlocked;
    this.#offlineNotice.hidden = state.offline === null;
    this.#offlineNotice.textContent = state.offline === null ? '' : offlineNotice(state.offline.syncedAt);
    this.#sessionBar.hidden = !unlocked;
    this.#entriesSection.hidden = !unlocked;
    this.#addSection.hidden = !unlocked;
    this.#importSection.hidden = !unlocked;
    this.#sessionId.textContent = state.session?.id ?? '';
    if (state.notice !== previous?.notice) {
      this.#notice.textContent = state.notice?.text ?? '';
      this.#notice.className = `notice ${state.notice?.tone ?? ''}`.trim();
      this.#notice.hidden = state.notice === null;
      // The notice sits at the top; on a phone the form that caused it may be far below.
      if (state.notice !== null) this.#notice.scrollIntoView({ block: 'nearest' });
    }
    this.#clockNotice.hidden = state.clockOffsetMs === 0;
    this.#clockNotice.textContent =
      state.clockOffsetMs === 0
        ? ''
        : `This device’s clock is ${describeSkew(state.clockOffsetMs)} ${state.clockOffsetMs > 0 ? 'behind' : 'ahead of'} the server’s: codes use the server’s time.`;
    document.body.setAttribute('aria-busy', String(state.busy));
    for (const button of this.#busyButtons) button.disabled = state.busy;
  }

  /** A short confirmation, visible and announced (the toast is an aria-live region). */
  announce(text: string): void {
    clearTimeout(this.#toastTimer);
    // The live region stays in the page (an unhidden region is not announced reliably); CSS hides it when empty.
    this.#toast.textContent = text;
    this.#toastTimer = setTimeout(() => {
      this.#toast.textContent = '';
    }, 2500);
  }
}
