import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { CambQueueOptions } from '../../src/bullmq/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { collectResults, resultJobCount, watchAll } from './queue-helpers.js';
import { useWorkerProcesses } from './worker-processes.js';

const startSimulator = useSimulators();
const startWorker = useWorkerProcesses();

/** A redis-server of this test's own (never the shared one), with AOF fsynced on every write. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'], {
    stdio: 'ignore',
  });
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    for (let tries = 0; ; tries++) {
      try {
        if ((await redis.ping()) === 'PONG') return server;
      } catch (error) {
        if (tries > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    redis.disconnect();
  }
}

let server: ChildProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    const exit = once(server, 'exit');
    server.kill('SIGKILL');
    await exit;
  }
  if (dir) await rm(dir, { recursive: true, force: true });
  server = dir = undefined;
});

describe('camb-rx/bullmq when Redis restarts', () => {
  it('Redis killed and restarted from its AOF mid-run: no task is lost', { timeout: 60_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'camb-rx-redis-'));
    const port = 6390 + (process.pid % 100);
    server = await startRedis(port, dir);
    const simulator = await startSimulator({ latencyMs: 20 });
    const ids = Array.from({ length: 200 }, (_, i) => simulator.addTask({ id: `task-${i}`, pendingPolls: 3 }));
    const options: CambQueueOptions = {
      apiKey: simulator.apiKey,
      baseUrl: simulator.url,
      connection: { host: '127.0.0.1', port },
      prefix: 'camb-rx-test',
      budget: { maxRequestsPerSecond: 300, maxConcurrentRequests: 20, slackMs: 200 },
      interval: 100,
    };
    await watchAll(options, ids);
    const worker = { concurrency: 10, lockDurationMs: 1500, stalledIntervalMs: 1000 };
    await Promise.all([startWorker({ queue: options, worker }), startWorker({ queue: options, worker })]);
    const collecting = collectResults(options, (delivered) => delivered.size === ids.length, 50_000);

    await simulator.waitForRequest((entry) => entry.seq >= 250, 20_000);
    const exit = once(server, 'exit');
    server.kill('SIGKILL');
    await exit;
    const requestsWhileDown = simulator.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    server = await startRedis(port, dir);

    const { delivered } = await collecting;
    expect(requestsWhileDown).toBeLessThan(4 * ids.length); // the restart came mid-run
    expect([...delivered.keys()].sort()).toEqual([...ids].sort());
    expect(await resultJobCount(options)).toBe(ids.length);
  });
});
