import type { Redis } from 'ioredis';

/** A count in one fixed time window: the window's number (to give back into), and the time it has left. */
export interface WindowCount {
  readonly count: number;
  readonly window: number;
  readonly resetMs: number;
}

/**
 * Counters per key over fixed windows (`Date.now() / windowMs`), in memory or shared through Redis.
 * `add` counts before the work it guards, so concurrent requests all see each other; `remove` gives one
 * back (a reservation that turned out not to be spent).
 */
export interface WindowCounters {
  add(key: string): Promise<WindowCount>;
  remove(key: string, window: number): Promise<void>;
}

/** Keys kept at most per window in memory; past it the oldest key is forgotten (its count starts over). */
const MEMORY_KEYS_LIMIT = 100_000;

/** This instance's own counters: the current window's only, so memory is bounded by one window's keys. */
export class MemoryWindowCounters implements WindowCounters {
  readonly #windowMs: number;
  readonly #limit: number;
  readonly #now: () => number;
  #window = -1;
  #counts = new Map<string, number>();

  constructor(windowMs: number, limit: number = MEMORY_KEYS_LIMIT, now: () => number = Date.now) {
    this.#windowMs = windowMs;
    this.#limit = limit;
    this.#now = now;
  }

  /** Keys counted in the current window. */
  get size(): number {
    return this.#counts.size;
  }

  add(key: string): Promise<WindowCount> {
    const now = this.#now();
    const window = Math.floor(now / this.#windowMs);
    if (window !== this.#window) {
      this.#window = window;
      this.#counts = new Map();
    }
    const previous = this.#counts.get(key);
    if (previous === undefined && this.#counts.size >= this.#limit) {
      const oldest = this.#counts.keys().next();
      if (oldest.done !== true) this.#counts.delete(oldest.value);
    }
    const count = (previous ?? 0) + 1;
    this.#counts.set(key, count);
    return Promise.resolve({ count, window, resetMs: (window + 1) * this.#windowMs - now });
  }

  remove(key: string, window: number): Promise<void> {
    const count = this.#counts.get(key);
    if (window === this.#window && count !== undefined) {
      if (count <= 1) this.#counts.delete(key);
      else this.#counts.set(key, count - 1);
    }
    return Promise.resolve();
  }
}

const ADD_SCRIPT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;
const REMOVE_SCRIPT = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end
return 0`;

/** Counters every instance shares: one Redis key per key and window, expiring with the window. */
export class RedisWindowCounters implements WindowCounters {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #windowMs: number;

  constructor(redis: Redis, prefix: string, windowMs: number) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#windowMs = windowMs;
  }

  async add(key: string): Promise<WindowCount> {
    const now = Date.now();
    const window = Math.floor(now / this.#windowMs);
    const count = Number(await this.#redis.eval(ADD_SCRIPT, 1, this.#key(key, window), String(this.#windowMs)));
    return { count, window, resetMs: (window + 1) * this.#windowMs - now };
  }

  async remove(key: string, window: number): Promise<void> {
    await this.#redis.eval(REMOVE_SCRIPT, 1, this.#key(key, window));
  }

  #key(key: string, window: number): string {
    return `${this.#prefix}${key}:${String(window)}`;
  }
}
