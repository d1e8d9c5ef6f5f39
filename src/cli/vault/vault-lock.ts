import { AsyncLocalStorage } from 'node:async_hooks';
import { join, resolve } from 'node:path';
import { ensurePrivateDir } from './atomic-file.js';
import { CliError } from '../cli-error.js';
import { describeIoError, isSystemError } from '../cli-error.js';

/** The lock beside `secrets.json`: a directory, created and removed by proper-lockfile. */
export const LOCK_NAME = 'open2fa.lock';

/** A holder that stops refreshing its lock for this long (killed, suspended) loses it. */
const STALE_MS = 10_000;
/** How often this process ticks while it holds a lock (see `Held.lastTick`). */
const TICK_MS = 250;
/** How long a command waits for another one that holds the lock: longer than a slow sync. */
const WAIT_MS = 120_000;

/** Runs `work` under the vault lock of `dir`: `withVaultLock` with the options a caller chose (the context's tells the person it waits). */
export type VaultLocker = <T>(dir: string, work: () => Promise<T>) => Promise<T>;

export interface VaultLockOptions {
  /** Called once when the lock is busy and this command starts to wait. */
  readonly onWait?: (lockPath: string) => void;
  /** How long to wait for the lock; for tests. */
  readonly waitMs?: number;
  /** After how long without a refresh a lock is stale (at least 2 s); for tests. */
  readonly staleMs?: number;
}

interface Held {
  /** Set by proper-lockfile when it finds, at a refresh, that the lock is no longer ours. */
  compromised: Error | null;
  /**
   * When this process last ran a timer. proper-lockfile notices a lost lock only at its next refresh,
   * but a process resumed after a pause (Ctrl+Z, a laptop asleep) runs its pending writes first; a long
   * silence means the lock may have gone stale and been taken over meanwhile.
   */
  lastTick: number;
  /** The longest silence after which the lock is still surely ours. */
  readonly freshMs: number;
}

/**
 * The locks held by the running command, by directory, so that every write can check it is covered.
 * Per asynchronous flow, not per process: two commands run in one process (the tests do) are kept
 * apart by the lock itself like two processes.
 */
const heldLocks = new AsyncLocalStorage<ReadonlyMap<string, Held>>();

/**
 * Runs `work` while this process alone may change the vault directory: every read-modify-write of
 * `secrets.json` and `sync-v2.json` happens inside, so two commands at once (an HOTP `code` during a
 * `remote pull`, two terminals) each see the other's result instead of overwriting it. A command that
 * finds the lock taken waits; a lock left by a killed process is taken over once it is stale.
 */
export async function withVaultLock<T>(
  dir: string,
  work: () => Promise<T>,
  options: VaultLockOptions = {},
): Promise<T> {
  const key = resolve(dir);
  const outer = heldLocks.getStore() ?? new Map<string, Held>();
  if (outer.has(key)) throw new Error(`the vault lock on ${key} is already held by this command`);
  const lockPath = join(key, LOCK_NAME);
  // Loaded here, not at the top: `list` and `generate` never write and stay fast without it.
  const { lock } = await import('proper-lockfile');
  try {
    await ensurePrivateDir(key);
  } catch (error) {
    const notDirectory = isSystemError(error) && (error.code === 'EEXIST' || error.code === 'ENOTDIR');
    const why = notDirectory ? 'it (or a folder above it) is a file, not a directory' : describeIoError(error);
    throw new CliError('io_failed', `cannot use ${key} for secrets: ${why}`, { cause: error });
  }
  const staleMs = options.staleMs ?? STALE_MS;
  // Refreshed every fifth of the stale time, the lock is at most that old when the process pauses;
  // a silence of up to 3/5 keeps it a fifth short of stale.
  const state: Held = { compromised: null, lastTick: 0, freshMs: (staleMs * 3) / 5 };
  const lockOptions = {
    realpath: false,
    lockfilePath: lockPath,
    stale: staleMs,
    update: staleMs / 5,
    onCompromised: (error: Error) => {
      state.compromised = error;
    },
  };
  let release: () => Promise<void>;
  try {
    release = await lock(key, { ...lockOptions, retries: 0 });
  } catch (error) {
    if (!isLocked(error)) throw lockFailure(lockPath, error);
    options.onWait?.(lockPath);
    const waitMs = options.waitMs ?? WAIT_MS;
    const retries = { retries: Math.ceil(waitMs / 250), minTimeout: 250, maxTimeout: 250, factor: 1 };
    try {
      release = await lock(key, { ...lockOptions, retries });
    } catch (retryError) {
      if (!isLocked(retryError)) throw lockFailure(lockPath, retryError);
      throw new CliError(
        'vault_busy',
        `another open2fa command kept ${key} locked for ${String(Math.round(waitMs / 1000))} s; ` +
          `try again when it has finished (a lock left by a stopped command clears itself after ` +
          `${String(staleMs / 1000)} s)`,
      );
    }
  }
  state.lastTick = Date.now();
  const ticker = setInterval(() => {
    state.lastTick = Date.now();
  }, TICK_MS).unref();
  try {
    return await heldLocks.run(new Map([...outer, [key, state]]), work);
  } finally {
    clearInterval(ticker);
    await release().catch(() => undefined);
  }
}

/**
 * Throws unless this process holds the vault lock on `dir` and has not lost it: called by every
 * writer, so a write outside `withVaultLock` is a bug that the tests find, and a lock taken over
 * while this process was suspended stops the write instead of overwriting the other command's.
 */
export function assertVaultLocked(dir: string): void {
  const key = resolve(dir);
  const state = heldLocks.getStore()?.get(key);
  if (state === undefined) throw new Error(`write to ${key} without the vault lock`);
  const silentMs = Date.now() - state.lastTick;
  if (silentMs > state.freshMs) {
    throw new CliError(
      'vault_busy',
      `this command was paused for ${(silentMs / 1000).toFixed(1)} s while it held the lock on ${key}, so ` +
        'another command may have taken it over; nothing more was written: run the command again',
    );
  }
  if (state.compromised !== null) {
    throw new CliError(
      'vault_busy',
      `the lock on ${key} was lost (${state.compromised.message}), so nothing more was written; run the command again`,
      { cause: state.compromised },
    );
  }
}

function isLocked(error: unknown): boolean {
  return isSystemError(error) && error.code === 'ELOCKED';
}

function lockFailure(lockPath: string, error: unknown): CliError {
  return new CliError('io_failed', `cannot lock ${lockPath}: ${describeIoError(error)}`, { cause: error });
}
