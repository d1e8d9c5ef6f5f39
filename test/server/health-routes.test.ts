import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { openStore } from '../../src/store/open-store.js';

describe('health endpoints', () => {
  it('/healthz answers while alive; /readyz follows the database', async () => {
    const store = await openStore({ databaseUrl: 'sqlite::memory:' });
    const app = await buildApp({ store });
    try {
      expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      const ready = await app.inject('/readyz');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready' });
      await store.close();
      const gone = await app.inject('/readyz');
      expect(gone.statusCode).toBe(503);
      expect(gone.json()).toEqual({ detail: 'the database is unavailable' });
      expect((await app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
