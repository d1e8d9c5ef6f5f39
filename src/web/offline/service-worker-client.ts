import { requireElement } from '../views/dom.js';

/**
 * Registers `/sw.js` (the app shell cache, `sw.ts`) once the page has loaded. A new version waits
 * until this page agrees: "Reload" tells the waiting worker to take over, then the page reloads, so a
 * page never runs half old and half new code.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  const notice = requireElement('update-notice', HTMLElement);
  const button = requireElement('update-button', HTMLButtonElement);
  let waiting: ServiceWorker | null = null;
  let reloading = false;

  const offer = (worker: ServiceWorker | null): void => {
    // Only an update: the first install has no page of an older version to replace.
    if (worker === null || navigator.serviceWorker.controller === null) return;
    waiting = worker;
    notice.hidden = false;
  };

  button.addEventListener('click', () => {
    waiting?.postMessage('skip-waiting');
  });
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading || waiting === null) return;
    reloading = true;
    location.reload();
  });

  const register = (): void => {
    navigator.serviceWorker
      .register('/sw.js', { scope: '/', updateViaCache: 'none' })
      .then((registration) => {
        offer(registration.waiting);
        registration.addEventListener('updatefound', () => {
          const installing = registration.installing;
          installing?.addEventListener('statechange', () => {
            if (installing.state === 'installed') offer(installing);
          });
        });
      })
      .catch(() => {
        // No service worker (private mode, an old browser): the page works online as before.
      });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
