import { readdirSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveV1Credentials, randomUuid } from '../../src/core/index.js';
import { serverFixtures, spawnServer } from '../helpers/server-process.js';
import { V1TestClient } from '../helpers/v1-client.js';

const { start, freshDirectory } = serverFixtures('open2fa-server-');

describe('bin/open2fa-server', () => {
  it('serves the v1 API to a client that encrypts, pushes, pulls, decrypts and deletes', async () => {
    const cwd = freshDirectory();
    const dataHome = freshDirectory();
    // The default DATABASE_URL: sqlite:$XDG_DATA_HOME/open2fa/open2fa.db, created on start, whatever
    // the working directory.
    const server = await start({ XDG_DATA_HOME: dataHome }, cwd);
    expect(statSync(join(dataHome, 'open2fa', 'open2fa.db')).isFile()).toBe(true);
    expect(statSync(join(dataHome, 'open2fa')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataHome, 'open2fa', 'open2fa.db')).mode & 0o777).toBe(0o600);
    expect(readdirSync(cwd)).toEqual([]);

    const client = new V1TestClient(`${server.origin}/api/v1`, randomUuid());
    const secrets = [
      { secret: 'JBSWY3DPEHPK3PXP', name: 'GitHub' },
      { secret: 'I65VU7K5ZQL7WB4E', name: null },
    ];
    const pushed = await client.push(secrets);
    expect(pushed).toEqual({ userCreated: true, totps: secrets });
    expect(await client.pull()).toEqual(secrets);
    expect(await client.delete([secrets[0] ?? { secret: '', name: null }])).toBe(1);
    expect(await client.pull()).toEqual([secrets[1]]);
  });

  it('keeps every acknowledged write across kill -9', async () => {
    const cwd = freshDirectory();
    const databaseUrl = `sqlite:${join(cwd, 'durable.db')}`;
    const first = await start({ DATABASE_URL: databaseUrl });
    const uuid = randomUuid();
    const client = new V1TestClient(`${first.origin}/api/v1`, uuid);
    const acknowledged: { secret: string; name: string }[] = [];
    for (let index = 0; index < 40; index++) {
      const suffix = String.fromCharCode(65 + (index % 26), 65 + Math.floor(index / 26));
      const entry = { secret: `JBSWY3DPEHPK3P${suffix}`, name: `n${String(index)}` };
      await client.push([entry]);
      acknowledged.push(entry);
    }
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');

    const second = await start({ DATABASE_URL: databaseUrl });
    const reader = new V1TestClient(`${second.origin}/api/v1`, uuid);
    expect(await reader.pull()).toEqual(acknowledged);
  });

  it('logs no ID, ciphertext or name', async () => {
    const uuid = randomUuid();
    const server = await start({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'trace' });
    const client = new V1TestClient(`${server.origin}/api/v1`, uuid);
    await client.push([{ secret: 'JBSWY3DPEHPK3PXP', name: 'VerySecretBank' }]);
    await client.pull();
    const { id } = await deriveV1Credentials(uuid);
    // The completion line is written after the answer; stop the server so every line has been read.
    expect(await server.kill('SIGTERM')).toBe(0);
    const log = server.output();
    expect(log).toContain('request completed');
    for (const forbidden of [id, uuid, 'VerySecretBank', 'JBSWY3DPEHPK3PXP']) expect(log).not.toContain(forbidden);
  });

  it('exits 1 with the reason when its port is taken, leaving nothing running', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const databaseUrl = `sqlite:${join(freshDirectory(), 'taken.db')}`;
      await expect(spawnServer({ PORT: port, HOST: '127.0.0.1', DATABASE_URL: databaseUrl })).rejects.toThrow(
        /server exited \(1\) before listening:[\s\S]*EADDRINUSE/,
      );
    } finally {
      taken.close();
    }
  });

  it('refuses invalid settings with exit 2 and lists them', async () => {
    await expect(spawnServer({ PORT: 'eighty', LOG_LEVEL: 'loud' })).rejects.toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });
});
