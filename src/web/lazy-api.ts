import type { ApiClient } from './api-client.js';
import type { V2ApiClient } from './api-v2-client.js';

/**
 * The API clients behind a lazy chunk: the HTTP exchange, the wire guards and paging (src/core/http,
 * core/v1, core/v2) are first needed at the first unlock, not to draw the unlock form, so they stay
 * out of the first load (≤ 35 KiB gzipped: test/web/web-routes.test.ts).
 */
export function lazyApiClients(): { readonly api: ApiClient; readonly apiV2: V2ApiClient } {
  let loaded: Promise<{ api: ApiClient; apiV2: V2ApiClient }> | undefined;
  const load = () =>
    (loaded ??= Promise.all([import('./api-client.js'), import('./api-v2-client.js')]).then(([v1, v2]) => ({
      api: v1.createApiClient(),
      apiV2: v2.createV2ApiClient(),
    })));
  return {
    api: {
      list: async (id) => (await load()).api.list(id),
      push: async (id, totps) => (await load()).api.push(id, totps),
      remove: async (id, totps) => (await load()).api.remove(id, totps),
    },
    apiV2: {
      pull: async (auth, since) => (await load()).apiV2.pull(auth, since),
      put: async (auth, itemId, rev, envelope) => (await load()).apiV2.put(auth, itemId, rev, envelope),
      remove: async (auth, itemId, rev, envelope) => (await load()).apiV2.remove(auth, itemId, rev, envelope),
    },
  };
}
