import { Redis } from 'ioredis';

/** Redis for tests: TEST_REDIS_URL, else this machine kind's default server. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connected client, or `null` outside CI when Redis is down (in CI that is a failure). */
export async function connectTestRedis(): Promise<Redis | null> {
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    const reason = `Redis at ${TEST_REDIS_URL} is unreachable (${error instanceof Error ? error.message : String(error)})`;
    if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
      throw new Error(`${reason}: CI must test the shared rate limit`, { cause: error });
    }
    console.warn(`\n*** SKIPPING Redis tests: ${reason}. Set TEST_REDIS_URL to run them. ***\n`);
    return null;
  }
}
