import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../../../helpers/test-server.js';
import { json, startHostileProxy, type HostileProxy } from '../../../security/hostile-proxy.js';
import { freshDir, runOpen2fa, type CliRun } from '../../cli-harness.js';

// `open2fa remote rotate` moves the account to a new UUID and erases the old one; failed by the
// server at each of its requests in turn, a run again finishes the move and nothing is lost.

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

const ENTRIES = [
  ['JBSWY3DPEHPK3PXP', 'GitHub'],
  ['I65VU7K5ZQL7WB4E', 'Mail'],
] as const;
const V1_ONLY = ['GEZDGNBVGY3TQOJQ', 'Bank'] as const;

function ok(run: CliRun): CliRun {
  expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return run;
}

async function account(): Promise<{ proxy: HostileProxy; dir: string; oldUuid: string; origin: string }> {
  const server = await startTestServer();
  const proxy = await startHostileProxy(server.origin);
  cleanup.push(
    () => server.close(),
    () => proxy.close(),
  );
  const dir = await freshDir();
  const oldUuid = crypto.randomUUID();
  await writeFile(join(dir, 'open2fa.uuid'), oldUuid, { mode: 0o600 });
  const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: `${server.origin}/api/v1` };
  for (const [secret, name] of ENTRIES) ok(await runOpen2fa(['add', secret, name], { env }));
  ok(await runOpen2fa(['remote', 'push'], { env }));
  // One entry only v1 holds, from a 1.x device of the same UUID.
  const v1Device = await freshDir();
  const v1Env = { OPEN2FA_DIR: v1Device, OPEN2FA_API_URL: env.OPEN2FA_API_URL, OPEN2FA_UUID: oldUuid };
  ok(await runOpen2fa(['add', ...V1_ONLY], { env: v1Env }));
  ok(await runOpen2fa(['remote', 'push'], { env: { ...v1Env, OPEN2FA_PROTOCOL: 'v1' } }));
  return { proxy, dir, oldUuid, origin: server.origin };
}

/** What a fresh device of `uuid` finds on the server: v2 entries (pulled, with v1 ones) sorted by name. */
async function onServer(origin: string, uuid: string): Promise<{ names: string[]; v1: number }> {
  const env = { OPEN2FA_DIR: await freshDir(), OPEN2FA_API_URL: `${origin}/api/v1`, OPEN2FA_UUID: uuid };
  const v2 = JSON.parse(ok(await runOpen2fa(['remote', 'list', '--json'], { env })).stdout) as { name: string }[];
  const v1 = JSON.parse(
    ok(await runOpen2fa(['remote', 'list', '--json'], { env: { ...env, OPEN2FA_PROTOCOL: 'v1' } })).stdout,
  ) as unknown[];
  return { names: v2.map((entry) => entry.name).sort(), v1: v1.length };
}

const ALL = ['Bank', 'GitHub', 'Mail'];

describe('open2fa remote rotate', () => {
  it('moves every entry (v2 and v1) to a new UUID, then erases the old account', async () => {
    const { proxy, dir, oldUuid, origin } = await account();
    const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: `${proxy.origin}/api/v1` };
    const run = ok(await runOpen2fa(['remote', 'rotate'], { env }));
    expect(run.stdout).toContain('Rotated to a new UUID; the old account on');
    expect(run.stdout).toContain('(2 v2 item(s), 1 v1 entr(ies))');
    const newUuid = await readFile(join(dir, 'open2fa.uuid'), 'utf8');
    expect(newUuid).not.toBe(oldUuid);
    expect((await readdir(dir)).filter((name) => name.startsWith('open2fa.uuid'))).toEqual(['open2fa.uuid']);
    expect(await onServer(origin, newUuid)).toEqual({ names: ALL, v1: 0 });
    expect(await onServer(origin, oldUuid)).toEqual({ names: [], v1: 0 });
  });

  it('failed by the server at each request in turn, a run again finishes and loses nothing', async () => {
    for (let failAt = 1; ; failAt++) {
      const { proxy, dir, oldUuid, origin } = await account();
      const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: `${proxy.origin}/api/v1` };
      let count = 0;
      proxy.rewrite = () => (++count === failAt ? json(503, { detail: 'down for a moment' }) : null);
      const failed = await runOpen2fa(['remote', 'rotate'], { env });
      proxy.rewrite = null;
      if (count < failAt) {
        // The whole rotation took fewer requests: every one of them has been failed once.
        expect(failed.exitCode).toBe(0);
        expect(failAt).toBeGreaterThan(8);
        break;
      }
      expect(failed.exitCode, `request ${String(failAt)}`).toBe(1);
      expect(failed.stderr).toContain('down for a moment');
      ok(await runOpen2fa(['remote', 'rotate'], { env }));
      const newUuid = await readFile(join(dir, 'open2fa.uuid'), 'utf8');
      expect(newUuid).not.toBe(oldUuid);
      expect(await onServer(origin, newUuid), `request ${String(failAt)}`).toEqual({ names: ALL, v1: 0 });
      expect(await onServer(origin, oldUuid)).toEqual({ names: [], v1: 0 });
      expect((await readdir(dir)).filter((name) => name.startsWith('open2fa.uuid'))).toEqual(['open2fa.uuid']);
      await Promise.all(cleanup.splice(0).map((close) => close()));
    }
  }, 120_000);
});
