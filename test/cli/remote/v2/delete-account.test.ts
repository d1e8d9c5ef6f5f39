import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../helpers/test-server.js';
import { freshDir, runOpen2fa, type CliRun } from '../../cli-harness.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function ok(run: CliRun): CliRun {
  expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return run;
}

async function device(origin: string, uuid: string) {
  const dir = await freshDir();
  const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: `${origin}/api/v1`, OPEN2FA_UUID: uuid };
  return {
    run: (...argv: string[]): Promise<CliRun> => runOpen2fa(argv, { env }),
    runV1: (...argv: string[]): Promise<CliRun> => runOpen2fa(argv, { env: { ...env, OPEN2FA_PROTOCOL: 'v1' } }),
  };
}

describe('open2fa remote delete-account', () => {
  it('asks first; with --yes erases every v1 and v2 row; again is a no-op; the next push starts afresh', async () => {
    const server = await startTestServer();
    servers.push(server);
    const uuid = crypto.randomUUID();
    const a = await device(server.origin, uuid);
    ok(await a.run('add', 'JBSWY3DPEHPK3PXP', 'GitHub'));
    ok(await a.run('add', 'I65VU7K5ZQL7WB4E', 'Mail'));
    ok(await a.run('remote', 'push'));
    ok(await a.runV1('remote', 'push'));
    expect(JSON.parse(ok(await a.runV1('remote', 'list', '--json')).stdout)).toHaveLength(2);

    const unconfirmed = await a.run('remote', 'delete-account');
    expect(unconfirmed.exitCode).toBe(2);
    expect(unconfirmed.stderr).toBe('open2fa: error: stdin is not a terminal, so nobody can confirm: add --yes\n');
    // Nothing was erased: a mixed account lists both copies of each secret (issue #16).
    const listed = JSON.parse(ok(await a.run('remote', 'list', '--json')).stdout) as { protocol?: string }[];
    expect(listed.map((entry) => entry.protocol).sort()).toEqual(['v1', 'v1', 'v2', 'v2']);

    expect(ok(await a.run('remote', 'delete-account', '--yes')).stdout).toBe(
      `Erased the account on ${server.origin}: 2 v2 item(s) and 2 v1 entr(ies); the secrets on this device are untouched.\n`,
    );
    const fresh = await device(server.origin, uuid);
    expect(ok(await fresh.run('remote', 'pull')).stdout).toContain(': 0 new, 0 updated, 0 removed here.');
    expect(JSON.parse(ok(await fresh.run('list', '--json')).stdout)).toEqual([]);
    expect(ok(await a.runV1('remote', 'list', '--json')).stdout.trim()).toBe('[]');
    expect(ok(await a.run('remote', 'delete-account', '--yes')).stdout).toContain(': 0 v2 item(s) and 0 v1 entr(ies)');

    // The sync state was reset: the next push uploads everything as new, with no rollback warning.
    expect(ok(await a.run('remote', 'push')).stdout).toMatch(/^Pushed 2 change\(s\) and 0 deletion\(s\)/);
    expect(JSON.parse(ok(await a.run('list', '--json')).stdout)).toHaveLength(2);
  });
});
