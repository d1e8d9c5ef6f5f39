import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  deriveV1Credentials,
  deriveV2Keys,
  encryptV1,
  makeEntry,
  randomItemId,
  randomUuid,
  sealEnvelope,
} from '../../src/core/index.js';
import { sealTombstone } from '../../src/core/v2/cipher.js';
import { buildApp } from '../../src/server/app.js';
import { createServerLogger } from '../../src/server/server-logger.js';
import { openStore } from '../../src/store/open-store.js';

describe('logs', () => {
  it('never contain an ID, Secret, UUID, token, ciphertext, name or TOTP secret during a full sync', async () => {
    let captured = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        captured += chunk.toString('utf8');
        done();
      },
    });
    const store = await openStore({ databaseUrl: 'sqlite::memory:' });
    const app = await buildApp({ store, log: createServerLogger('trace', sink), processMetrics: false });
    const uuid = randomUuid();
    const v1 = await deriveV1Credentials(uuid);
    const v2 = await deriveV2Keys(v1.key);
    const secret = 'JBSWY3DPEHPK3PXP';
    const name = 'MyPrivateBankAccount';
    const encSecret = await encryptV1(v1.key, secret);
    const itemId = randomItemId();
    const envelope = await sealEnvelope(v2.envelopeKey, { userId: v1.id, itemId }, makeEntry(secret, name), 1);
    // The sealed deletion a revision-2 client sends.
    const tombstone = await sealTombstone(v2.envelopeKey, { userId: v1.id, itemId }, 2);
    const v1Headers = { 'x-user-hash': v1.id };
    const v2Headers = { 'x-user-hash': v1.id, authorization: `Bearer ${v2.authToken}` };
    try {
      const responses = [
        await app.inject({
          method: 'POST',
          url: '/api/v1/totps',
          headers: v1Headers,
          payload: { totps: [{ enc_secret: encSecret, name }] },
        }),
        await app.inject({ method: 'GET', url: '/api/v1/totps', headers: v1Headers }),
        await app.inject({
          method: 'PUT',
          url: `/api/v2/items/${itemId}`,
          headers: { ...v2Headers, 'if-match': '"0"' },
          payload: { envelope },
        }),
        await app.inject({ method: 'GET', url: '/api/v2/items?since=0', headers: v2Headers }),
        await app.inject({
          method: 'PUT',
          url: `/api/v2/items/${itemId}`,
          headers: { ...v2Headers, 'if-match': '"0"' },
          payload: { envelope },
        }),
        await app.inject({
          method: 'GET',
          url: '/api/v2/items',
          headers: { ...v2Headers, authorization: `Bearer ${'x'.repeat(43)}` },
        }),
        await app.inject({ method: 'GET', url: '/api/v2/items', headers: { ...v2Headers, authorization: 'Bearer x' } }),
        await app.inject({
          method: 'DELETE',
          url: `/api/v2/items/${itemId}`,
          headers: { ...v2Headers, 'if-match': '"1"' },
          payload: { envelope: tombstone },
        }),
        await app.inject({ method: 'DELETE', url: '/api/v2/account', headers: v2Headers }),
        await app.inject({
          method: 'DELETE',
          url: '/api/v1/totps',
          headers: v1Headers,
          payload: { totps: [{ enc_secret: encSecret }] },
        }),
        await app.inject({
          method: 'POST',
          url: '/api/v1/totps',
          headers: { ...v1Headers, 'content-type': 'application/json' },
          payload: `{"totps":[{"enc_secret":"${encSecret}","name":`,
        }),
        await app.inject({ method: 'DELETE', url: '/api/v1/account', headers: v1Headers }),
      ];
      expect(responses.map((response) => response.statusCode)).toEqual([
        200, 200, 200, 200, 409, 200, 401, 200, 200, 200, 400, 200,
      ]);
    } finally {
      await app.close();
      await store.close();
    }
    expect(captured).toContain('request completed');
    expect(captured.split('\n').length).toBeGreaterThan(18);
    for (const forbidden of [
      v1.id,
      v1.secret,
      uuid,
      v2.authToken,
      secret,
      name,
      encSecret,
      envelope,
      envelope.slice(6, 40),
      tombstone,
    ]) {
      expect(captured, `log contains ${forbidden}`).not.toContain(forbidden);
    }
  });

  it('at warn, writes no line per request, yet logs a failing request with its request id', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    const store = await openStore({ databaseUrl: 'sqlite::memory:' });
    // The store, except that reading a list fails unexpectedly.
    const failing = new Proxy(store, {
      get(target, property) {
        if (property === 'listV1Body') return () => Promise.reject(new Error('disk on fire'));
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const app = await buildApp({ store: failing, log: createServerLogger('warn', sink), processMetrics: false });
    const v1 = await deriveV1Credentials(randomUuid());
    try {
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/totps',
        headers: { 'x-user-hash': v1.id },
        payload: { totps: [] },
      });
      expect(ok.statusCode).toBe(200);
      const failed = await app.inject({ method: 'GET', url: '/api/v1/totps', headers: { 'x-user-hash': v1.id } });
      expect(failed.statusCode).toBe(500);
      expect(failed.json()).toEqual({ detail: expect.any(String) as string });
      expect(failed.body).not.toContain('disk on fire');
    } finally {
      await app.close();
      await store.close();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'request failed', reqId: expect.any(String) as string });
    expect(JSON.stringify(lines[0])).toContain('disk on fire');
    expect(JSON.stringify(lines)).not.toContain(v1.id);
  });
});
