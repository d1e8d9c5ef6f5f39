/// <reference lib="webworker" />
// The service worker (served as /sw.js, built by scripts/build-web.mjs): it caches the app shell so the
// page opens without the server. Never the API: entries come from the offline copy in IndexedDB.
//
// - Versioned caches: `open2fa-shell-<build hash>`; `install` stores every file of one build with
//   `cache.addAll` (all or nothing), `activate` deletes the other versions. Every file means the lazy
//   chunks and sql.js's WebAssembly too: an import chosen offline finds its parsers here.
// - No half-new app: a new worker waits (no skipWaiting at install) until the page asks it to take over,
//   and the shell is served only from the cache of the worker in charge, so a page's HTML and every chunk
//   it loads later come from the same build.
// - The cached responses keep their headers, CSP included.

import { forwardRequest } from '../core/http/exchange.js';

declare const __SHELL_VERSION__: string;
declare const __SHELL_FILES__: readonly string[];

const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE_PREFIX = 'open2fa-shell-';
const CACHE = `${CACHE_PREFIX}${__SHELL_VERSION__}`;
const SHELL = new Set(__SHELL_FILES__);

worker.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([...SHELL])));
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name)),
        ),
      ),
  );
});

worker.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') void worker.skipWaiting();
});

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  // A navigation to the page (with any query; the fragment never reaches us) is the cached index.html.
  const path = request.mode === 'navigate' && url.pathname === '/' ? '/' : url.pathname;
  if (!SHELL.has(path)) return;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(path))
      // Not a JSON exchange: the cache proxy passes a shell file through as it is.
      .then((cached) => cached ?? forwardRequest(request)),
  );
});
