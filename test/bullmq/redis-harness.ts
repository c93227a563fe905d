import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';

/** The shared Redis of the machine (and of CI, which starts it when it is not answering). */
export const redisConnection = { host: '127.0.0.1', port: 6379 } as const;

/**
 * Registers an `afterEach` that deletes every key under the prefixes handed out, so that each test
 * has its own keys on the shared Redis and leaves none behind.
 *
 * @returns `newPrefix()`, a fresh key prefix such as `camb-rx-test-3f2a…`
 */
export function useRedisPrefixes(connection: { host: string; port: number } = redisConnection): () => string {
  const prefixes: string[] = [];
  afterEach(async () => {
    const redis = new Redis({ ...connection, lazyConnect: true });
    await redis.connect();
    try {
      for (const prefix of prefixes.splice(0)) await deleteKeys(redis, `${prefix}:*`);
    } finally {
      redis.disconnect();
    }
  });
  return () => {
    const prefix = `camb-rx-test-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    return prefix;
  };
}

/** Deletes every key matching `pattern`, a SCAN page at a time. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
