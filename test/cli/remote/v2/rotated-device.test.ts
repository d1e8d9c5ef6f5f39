import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Open2fa1x } from '../../../helpers/open2fa-1x.js';
import { startTestServer } from '../../../helpers/test-server.js';
import { freshDir, runOpen2fa, type CliRun } from '../../cli-harness.js';

// A device still holding the old UUID after `open2fa remote rotate` on another one: the server keeps
// nothing of the old account, so the device's sync state is the evidence. It says so, exits 1, loses
// nothing, and never uploads the old account back.

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

function ok(run: CliRun): CliRun {
  expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return run;
}

describe('an old device after `open2fa remote rotate`', () => {
  it('is told the account is empty on the server, keeps its entries, and uploads nothing', async () => {
    const server = await startTestServer();
    cleanup.push(() => server.close());
    const apiUrl = `${server.origin}/api/v1`;
    const oldUuid = crypto.randomUUID();
    const rotating = await freshDir();
    await writeFile(join(rotating, 'open2fa.uuid'), oldUuid, { mode: 0o600 });
    const a = { OPEN2FA_DIR: rotating, OPEN2FA_API_URL: apiUrl };
    ok(await runOpen2fa(['add', 'JBSWY3DPEHPK3PXP', 'GitHub'], { env: a }));
    ok(await runOpen2fa(['add', 'I65VU7K5ZQL7WB4E', 'Mail'], { env: a }));
    ok(await runOpen2fa(['remote', 'push'], { env: a }));
    const b = { OPEN2FA_DIR: await freshDir(), OPEN2FA_API_URL: apiUrl, OPEN2FA_UUID: oldUuid };
    expect(ok(await runOpen2fa(['remote', 'pull'], { env: b })).stdout).toContain('2 new');

    ok(await runOpen2fa(['remote', 'rotate'], { env: a }));
    for (const verb of ['pull', 'push']) {
      const run = await runOpen2fa(['remote', verb], { env: b });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toBe(
        'warning: this account is empty on the server, but this device had 2 entries synced with it: was it ' +
          'rotated to new credentials or deleted on another device? Nothing was removed here and nothing was ' +
          'uploaded; use the new credentials (pair this device again)\n' +
          'open2fa: error: the account is empty on the server (see the warning); nothing was changed\n',
      );
    }
    const names = JSON.parse(ok(await runOpen2fa(['list', '--json'], { env: b })).stdout) as { name: string }[];
    expect(names.map((entry) => entry.name).sort()).toEqual(['GitHub', 'Mail']);
    expect(ok(await runOpen2fa(['trash'], { env: b })).stdout).toBe('The trash is empty.\n');
    // The old account did not come back: a fresh device of the old UUID finds nothing.
    const fresh = { OPEN2FA_DIR: await freshDir(), OPEN2FA_API_URL: apiUrl, OPEN2FA_UUID: oldUuid };
    expect(JSON.parse(ok(await runOpen2fa(['remote', 'list', '--json'], { env: fresh })).stdout)).toEqual([]);
  });

  it('uploads nothing to v1 either when a 1.x device has pushed to the old account since', async () => {
    const server = await startTestServer();
    cleanup.push(() => server.close());
    const apiUrl = `${server.origin}/api/v1`;
    const oldUuid = crypto.randomUUID();
    const rotatingDir = await freshDir();
    await writeFile(join(rotatingDir, 'open2fa.uuid'), oldUuid, { mode: 0o600 });
    const rotating = { OPEN2FA_DIR: rotatingDir, OPEN2FA_API_URL: apiUrl };
    ok(await runOpen2fa(['add', 'JBSWY3DPEHPK3PXP', 'GitHub'], { env: rotating }));
    ok(await runOpen2fa(['remote', 'push'], { env: rotating }));
    const old = { OPEN2FA_DIR: await freshDir(), OPEN2FA_API_URL: apiUrl, OPEN2FA_UUID: oldUuid };
    ok(await runOpen2fa(['remote', 'pull'], { env: old }));
    ok(await runOpen2fa(['add', 'I65VU7K5ZQL7WB4E', 'Mail'], { env: old }));
    ok(await runOpen2fa(['remote', 'rotate'], { env: rotating }));

    // A 1.x device still on the old UUID pushes its one secret: the old account is a mixed one again.
    const legacy = await Open2fa1x.open(await freshDir(), apiUrl, oldUuid);
    await legacy.add('KRSXG5CTMVRXEZLU', 'Legacy');
    await legacy.push();

    const run = await runOpen2fa(['remote', 'push'], { env: old });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('this account is empty on the server');
    expect(run.stdout).not.toContain('in v1 too');
    // What the old account holds in v1 is what 1.x put there, nothing of this device's.
    const fresh1x = await Open2fa1x.open(await freshDir(), apiUrl, oldUuid);
    expect((await fresh1x.pull()).map((secret) => secret.name)).toEqual(['Legacy']);
  });
});
