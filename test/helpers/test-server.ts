import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

export interface TestServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * An in-process server on a free loopback port (or `port`) with a fresh in-memory SQLite database (or
 * the given store). Use `app.inject` where no socket is needed.
 */
export async function startTestServer(options: Partial<AppOptions> = {}, port = 0): Promise<TestServer> {
  const store = options.store ?? (await openStore({ databaseUrl: 'sqlite::memory:' }));
  const app = await buildApp({ ...options, store });
  const origin = await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    store,
    origin,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
