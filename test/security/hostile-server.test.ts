import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { device, ok, type Device } from '../cli/cli-devices.js';
import { runOpen2fa, type CliRun } from '../cli/cli-harness.js';
import { forgedListing, isItems, LISTING_ATTACKS, type Changes, type WireItem } from './attack-table.js';
import { json, startHostileProxy, type HostileProxy } from './hostile-proxy.js';

// Issue #15's table tried against the CLI: a proxy in front of a real server rewrites its answers
// the way a server gone bad (or anyone between) could. Each attack is refused or reported, and no
// secret is lost.

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

interface Setup {
  readonly server: TestServer;
  readonly proxy: HostileProxy;
}

async function setup(): Promise<Setup> {
  const server = await startTestServer();
  const proxy = await startHostileProxy(server.origin);
  cleanup.push(
    () => server.close(),
    () => proxy.close(),
  );
  return { server, proxy };
}

const GITHUB = 'JBSWY3DPEHPK3PXP';
const MAIL = 'I65VU7K5ZQL7WB4E';
/** ESC ] 0 (set the window title), BEL, ESC [ 2 J (clear the screen), a bidi override and isolate. */
const HOSTILE = '\u001b]0;owned\u0007\u001b[2J\u202eevil\u2066';

/** Two devices of one account, both synced with GitHub and Mail; B talks through the proxy. */
async function twoDevices({ server, proxy }: Setup): Promise<{ a: Device; b: Device; seen: WireItem[]; uuid: string }> {
  const uuid = crypto.randomUUID();
  const a = await device(server.origin, uuid);
  const b = await device(proxy.origin, uuid);
  ok(await a.run('add', GITHUB, 'GitHub'));
  ok(await a.run('add', MAIL, 'Mail'));
  ok(await a.run('remote', 'push'));
  const seen: WireItem[] = [];
  proxy.rewrite = ({ path }, answer) => {
    if (isItems(path) && answer.status === 200) seen.push(...(JSON.parse(answer.body) as Changes).items);
    return null;
  };
  ok(await b.run('remote', 'pull'));
  proxy.rewrite = null;
  expect(seen).toHaveLength(2);
  return { a, b, seen, uuid };
}

describe('a hostile server against the CLI (issue #15)', () => {
  // The table both suites loop over (attack-table.ts): each forgery is refused, reported, exit 1.
  for (const attack of LISTING_ATTACKS) {
    it(`${attack.label} is refused and reported, exit 1; nothing is lost`, async () => {
      const context = await setup();
      const { a, b, seen, uuid } = await twoDevices(context);
      const [target] = seen;
      if (target === undefined) throw new Error('no item');
      let names = ['GitHub', 'Mail'];
      if (attack.renamedFirst) {
        ok(await a.run('rename', 'GitHub', 'GitHub work'));
        ok(await a.run('rename', 'Mail', 'Mail work'));
        ok(await a.run('remote', 'push'));
        ok(await b.run('remote', 'pull'));
        names = ['GitHub work', 'Mail work'];
      }
      const forged = await attack.forge({ target, uuid, seq: 1_000 });
      context.proxy.rewrite = ({ path }, answer) =>
        isItems(path) && answer.status === 200 ? forgedListing(answer, forged) : null;
      const pull = await b.run('remote', 'pull');
      expect(pull.exitCode).toBe(1);
      expect(pull.stderr).toMatch(new RegExp(`item ${target.id}:? ${escape(attack.cli)}`));
      expect(pull.stdout).not.toContain('removed here:');
      context.proxy.rewrite = null;
      expect((await b.names()).sort()).toEqual(names);
      expect(ok(await b.run('trash')).stdout).toBe('The trash is empty.\n');
    });
  }

  it('a real deletion made on one device still reaches the others, and lands in their trash', async () => {
    const context = await setup();
    const { a, b } = await twoDevices(context);
    ok(await a.run('delete', '-f', 'GitHub'));
    ok(await a.run('remote', 'push'));
    const pull = ok(await b.run('remote', 'pull'));
    expect(pull.stdout).toContain(
      'removed here: GitHub (deleted on another device; `open2fa restore GitHub` brings it back)\n',
    );
    expect(await b.names()).toEqual(['Mail']);
    expect(ok(await b.run('trash')).stdout).toMatch(
      /^1\. GitHub J\.\.\.P {2}removed .* UTC \(deleted on another device\)\n$/,
    );
  });

  for (const [label, advance] of [
    ['a cursor that does not advance', 0],
    ['a cursor that advances', 1],
  ] as const) {
    it(`"more": true forever (${label}) is a clear error within a second`, async () => {
      const context = await setup();
      const { b } = await twoDevices(context);
      let seq = 1_000;
      context.proxy.rewrite = ({ path }) => {
        if (!isItems(path)) return null;
        seq += advance;
        return json(200, { items: [], seq, more: true });
      };
      const started = performance.now();
      const pull = await b.run('remote', 'pull');
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(pull.exitCode).toBe(1);
      expect(pull.stderr).toMatch(/^open2fa: error: .+\n$/);
      context.proxy.rewrite = null;
      expect((await b.names()).sort()).toEqual(['GitHub', 'Mail']);
    });
  }

  it('terminal escapes and bidi controls in an error detail are shown harmless', async () => {
    const context = await setup();
    const { b } = await twoDevices(context);
    context.proxy.rewrite = ({ path }) => (isItems(path) ? json(503, { detail: `busy ${HOSTILE}` }) : null);
    const pull = await b.run('remote', 'pull');
    expect(pull.exitCode).toBe(1);
    expect(pull.stderr).toContain('busy ?]0;owned??[2J?evil?');
    expectHarmless(pull);
  });

  it('terminal escapes in an item id are shown harmless', async () => {
    const context = await setup();
    const { b, seen } = await twoDevices(context);
    const [target] = seen;
    if (target === undefined) throw new Error('no item');
    context.proxy.rewrite = ({ path }, answer) => {
      if (!isItems(path) || answer.status !== 200) return null;
      const page = JSON.parse(answer.body) as Changes;
      const forged = { ...target, id: `x${HOSTILE}`, seq: page.seq + 1 };
      return json(200, { items: [forged], seq: page.seq + 1, more: false });
    };
    const pull = await b.run('remote', 'pull');
    expect(pull.exitCode).toBe(1);
    expectHarmless(pull);
    context.proxy.rewrite = null;
    expect((await b.names()).sort()).toEqual(['GitHub', 'Mail']);
  });

  it('terminal escapes and bidi controls in a v1 entry name (v1 names are in clear) are shown harmless', async () => {
    const { server, proxy } = await setup();
    const uuid = crypto.randomUUID();
    const v1 = await device(server.origin, uuid);
    ok(await v1.run('add', GITHUB, 'GitHub'));
    const env = { OPEN2FA_PROTOCOL: 'v1' };
    expect((await runOpen2fa(['remote', 'push'], { env: { ...v1.env, ...env } })).exitCode).toBe(0);
    proxy.rewrite = ({ path }, answer) => {
      if (!path.startsWith('/api/v1/totps') || answer.status !== 200) return null;
      const body = JSON.parse(answer.body) as { totps: { name: string | null }[] };
      return json(200, { totps: body.totps.map((totp) => ({ ...totp, name: `Git${HOSTILE}Hub` })) });
    };
    const b = await device(proxy.origin, uuid);
    const listed = await runOpen2fa(['remote', 'list'], { env: { ...b.env, ...env } });
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain('Git?]0;owned??[2J?evil?Hub');
    expectHarmless(listed);
    const pulled = await b.run('remote', 'pull');
    expect(pulled.stdout).toContain('1 new from v1 entries');
    expectHarmless(pulled);
    expectHarmless(await b.run('list'));
  });
});

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** No C0/C1 control (but the newline ending each line) and no bidi control reached the terminal. */
function expectHarmless(run: CliRun): void {
  for (const text of [run.stdout, run.stderr]) {
    expect(text.replace(/\n/g, '')).not.toMatch(UNSAFE);
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
