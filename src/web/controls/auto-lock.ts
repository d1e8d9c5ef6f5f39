import { MESSAGES } from '../messages.js';
import type { PageContext } from './page-context.js';

/**
 * Auto-lock: after the idle time (a setting) without a touch or a key, and, when that setting is on, as
 * soon as the page is hidden (another tab or app). Returns what the store subscription calls.
 */
export function wireAutoLock(context: PageContext): { render(): void } {
  const { store, actions } = context;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let wasOpen = false;
  const restart = (): void => {
    clearTimeout(idleTimer);
    const { idleMinutes } = store.state.settings;
    if (store.state.session === null || idleMinutes === 0) return;
    idleTimer = setTimeout(() => {
      if (store.state.session !== null) actions.lock(MESSAGES.idleLocked);
    }, idleMinutes * 60_000);
  };
  for (const type of ['pointerdown', 'keydown', 'input'] as const) {
    document.addEventListener(type, restart, { passive: true, capture: true });
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden' && store.state.settings.lockWhenHidden && store.state.session !== null) {
      actions.lock(MESSAGES.hiddenLocked);
    }
  });
  return {
    render: () => {
      if ((store.state.session !== null) === wasOpen) return;
      wasOpen = store.state.session !== null;
      restart();
    },
  };
}
