import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisConnection } from './redis-harness.js';

/* The example imports `camb-rx/bullmq` by name, so it runs against the build (npm test builds first). */
const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe('examples/bullmq', () => {
  it('demo.mjs: 2 worker processes and a producer deliver every task exactly once, and leave no key behind', { timeout: 40_000 }, async () => {
    const { stdout, stderr } = await run(process.execPath, ['examples/bullmq/demo.mjs', '2', '12'], { cwd: root, timeout: 35_000 });
    const results = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { taskId: string; status: string; decidedBy: string });
    expect(results).toHaveLength(12);
    expect(new Set(results.map((r) => r.taskId)).size).toBe(12);
    expect(results.every((r) => r.status === 'SUCCESS' && r.decidedBy === 'camb')).toBe(true);
    expect(stderr).toMatch(/12 of 12 tasks delivered \(12 deliveries\) by 2 workers/);
    expect(stderr.match(/drained after \d+ status reads/g)).toHaveLength(2);
    const redis = new Redis(redisConnection);
    try {
      expect(await redis.keys('camb-rx-demo-*')).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
