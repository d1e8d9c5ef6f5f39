import { describe, expect, it } from 'vitest';
import { freshDir, runOpen2fa } from '../cli/cli-harness.js';

// A network attacker reads plain http: the CLI says so once per command when the server is not on
// this machine. The fetch is a stub: nothing leaves the test.

const WARNING =
  'is plain http: anyone on the network can read the Open2FA ID and the token and answer in place of the server; use https\n';

async function pull(apiUrl: string): Promise<{ stderr: string; calls: number }> {
  const dir = await freshDir();
  let calls = 0;
  const fetch = (): Promise<Response> => {
    calls++;
    return Promise.resolve(new Response('{"detail":"down"}', { status: 503 }));
  };
  const env = { OPEN2FA_DIR: dir, OPEN2FA_API_URL: apiUrl, OPEN2FA_UUID: crypto.randomUUID() };
  const run = await runOpen2fa(['remote', 'pull'], { env, fetch });
  expect(run.exitCode).toBe(1);
  return { stderr: run.stderr, calls };
}

describe('the CLI warns about plain http to another host', () => {
  it('once per command, before it talks to the server', async () => {
    const { stderr, calls } = await pull('http://open2fa.example/api/v1');
    expect(calls).toBeGreaterThan(0);
    expect(stderr.split(WARNING)).toHaveLength(2);
    expect(stderr).toMatch(/^warning: http:\/\/open2fa\.example is plain http: /);
  });

  it.each([
    'https://open2fa.example/api/v1',
    'http://127.0.0.1:8000/api/v1',
    'http://localhost:8000/api/v1',
    'http://[::1]:8000/api/v1',
  ])('not for %s', async (apiUrl) => {
    expect((await pull(apiUrl)).stderr).not.toContain('plain http');
  });
});
