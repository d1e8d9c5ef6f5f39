// Child processes of the benchmark: the real open2fa-server and the bare node:http baseline, each in
// its own process so subject and baseline pay the same process and kernel costs.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SERVER_BIN = fileURLToPath(new URL('../../bin/open2fa-server', import.meta.url));
const BARE_SERVER = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));
const BUILT_MAIN = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));

/** Logging every request would measure pino, not us: the subject logs warnings and worse. */
export const BENCH_LOG_LEVEL = 'warn';

/**
 * @typedef {object} Child
 * @property {import('node:child_process').ChildProcess} child
 * @property {string} origin e.g. http://127.0.0.1:41234
 * @property {number} pid
 * @property {() => string} output everything written to stdout and stderr so far
 * @property {(signal?: NodeJS.Signals) => Promise<number | string>} stop signal (SIGTERM) and wait for the exit
 */

/**
 * Starts bin/open2fa-server on a free port and waits until GET /healthz answers (the info-level
 * "listening" line is not printed at LOG_LEVEL=warn).
 * @param {Record<string, string>} env settings on top of PORT=0, LOG_LEVEL=warn, RATE_LIMIT_MAX=0
 * @param {{ nodeArgs?: string[], root?: string }} [options] nodeArgs e.g. ['--cpu-prof']; root: another
 *   built checkout to run (a BEFORE_DIR), this one by default
 * @returns {Promise<Child>}
 */
export async function startServer(env, options = {}) {
  const root = options.root ?? ROOT;
  const built = options.root === undefined ? BUILT_MAIN : join(root, 'dist', 'server', 'main.js');
  if (!existsSync(built)) throw new Error(`${root}: dist/ is missing: run \`npm run build\` there first`);
  const bin = options.root === undefined ? SERVER_BIN : join(root, 'bin', 'open2fa-server');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: BENCH_LOG_LEVEL,
      RATE_LIMIT_MAX: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const handle = track(child);
  // PORT=0 picks a free port; at LOG_LEVEL=warn nothing says which, so ask the kernel.
  const port = await waitFor(handle, () => listeningPort(child.pid ?? -1), 'a listening socket');
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(handle, async () => ((await healthy(origin)) ? true : null), 'GET /healthz');
  return { ...handle, origin };
}

/**
 * Starts the bare node:http baseline answering every request with the given status, headers and body.
 * @param {{ status: number, headers: [string, string][], body: string }} answer body in base64
 * @param {string} [script] another replaying server (bench/experiments/fastify-floor.mjs)
 * @param {Record<string, string>} [env] e.g. BARE_WORK_US (bare-server.mjs)
 * @returns {Promise<Child>}
 */
export async function startBareServer(answer, script = BARE_SERVER, env = {}) {
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', BARE_ANSWER: JSON.stringify(answer), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const handle = track(child);
  const port = await waitFor(
    handle,
    () => {
      const match = /listening on (\d+)/.exec(handle.output());
      return match?.[1] ?? null;
    },
    'the listening line',
  );
  return { ...handle, origin: `http://127.0.0.1:${port}` };
}

/**
 * CPU time a process has used so far, user and system, in milliseconds (Linux /proc), or null when
 * unavailable. Read before and after a run, it gives the server's CPU per request, which is what an
 * optimisation changes; req/s also moves with the load generator and the machine.
 * @param {number} pid
 * @returns {{ user: number, system: number } | null}
 */
export function cpuMillis(pid) {
  try {
    const fields =
      readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
        .split(') ')[1]
        ?.split(' ') ?? [];
    const ticksToMs = 10; // USER_HZ is 100 on Linux
    return { user: Number(fields[11]) * ticksToMs, system: Number(fields[12]) * ticksToMs };
  } catch {
    return null;
  }
}

/**
 * Resident set size of a process in bytes (Linux /proc), or null when unavailable.
 * @param {number} pid
 */
export function rssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

/** @param {import('node:child_process').ChildProcess} child */
function track(child) {
  let output = '';
  const append = (/** @type {Buffer} */ chunk) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  /** @type {Promise<number | string>} */
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(signal ?? code ?? -1);
    });
  });
  return {
    child,
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    stop: async (/** @type {NodeJS.Signals} */ signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const status = await exited;
      clearTimeout(timer);
      return status;
    },
  };
}

/**
 * Polls `probe` until it returns non-null, failing when the process exits or 30 s pass.
 * @template T
 * @param {{ exited: Promise<number | string>, output: () => string }} handle
 * @param {() => T | null | Promise<T | null>} probe
 * @param {string} what
 * @returns {Promise<T>}
 */
async function waitFor(handle, probe, what) {
  let exitStatus = null;
  void handle.exited.then((status) => {
    exitStatus = status;
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (exitStatus !== null)
      throw new Error(`process exited (${String(exitStatus)}) before ${what}:\n${handle.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${what} after 30 s:\n${handle.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** @param {string} origin */
async function healthy(origin) {
  try {
    const response = await fetch(`${origin}/healthz`);
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * The TCP port a process listens on, read from /proc/net/tcp via the socket inodes in /proc/PID/fd.
 * @param {number} pid
 * @returns {string | null}
 */
function listeningPort(pid) {
  let inodes;
  try {
    inodes = new Set(
      readdirLinks(`/proc/${String(pid)}/fd`)
        .map((target) => /^socket:\[(\d+)\]$/.exec(target)?.[1])
        .filter((inode) => inode !== undefined),
    );
  } catch {
    return null;
  }
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields: sl local rem st ... inode(9); state 0A = LISTEN
      if (fields[3] === '0A' && inodes.has(fields[9])) {
        const port = fields[1]?.split(':')[1];
        if (port !== undefined) return String(parseInt(port, 16));
      }
    }
  }
  return null;
}

/** @param {string} dir */
function readdirLinks(dir) {
  return readdirSync(dir).map((name) => {
    try {
      return readlinkSync(`${dir}/${name}`);
    } catch {
      return '';
    }
  });
}
