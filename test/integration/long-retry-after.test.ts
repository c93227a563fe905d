import { performance } from 'node:perf_hooks';
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { isCambHttpError, mergeTasks, type TaskFailure, type TaskStatus } from '../../src/index.js';
import { useHostileServers } from '../_helpers/hostile-server.js';

/*
 * The README's promise on a `Retry-After` above `maxRetryAfterMs`, at the server: the request that
 * got it fails at once, and the tasks sharing its budget are held for `maxRetryAfterMs`, not for the
 * server's hour, and not for less.
 */

const hostileServer = useHostileServers();

describe('a Retry-After above maxRetryAfterMs, under a shared budget', () => {
  it('fails the request that got it at once, and holds its siblings for maxRetryAfterMs only', async () => {
    const maxRetryAfterMs = 300;
    const arrivals = new Map<string, number>();
    let answered429At = Number.NaN;
    const server = await hostileServer((req, res) => {
      const taskId = req.url?.split('/').at(-1) ?? '';
      arrivals.set(taskId, performance.now());
      if (taskId === 'limited') {
        res.on('finish', () => (answered429At = performance.now()));
        res.writeHead(429, { 'retry-after': '3600' }).end('{"detail":"quota used up for the hour"}');
      } else res.end('{"status":"SUCCESS","run_id":7}');
    });

    const failures: TaskFailure[] = [];
    const statuses = await lastValueFrom(
      from(['limited', 'sibling']).pipe(
        mergeTasks({ apiKey: 'sk-test-1234', baseUrl: server.baseUrl, maxConcurrentRequests: 1, retry: { maxRetryAfterMs }, onTaskError: (f) => failures.push(f) }),
        toArray(),
      ),
    );

    const [failure] = failures;
    expect(failure?.taskId).toBe('limited');
    expect(isCambHttpError(failure?.error) && failure.error.status).toBe(429);
    expect((failure?.error as Error).message).toMatch(/Retry-After of 3600000 ms is above maxRetryAfterMs \(300 ms\), so it was not retried/);
    expect(server.requests.filter((r) => r.path.endsWith('/limited'))).toHaveLength(1); // not retried
    expect(statuses.map((s: TaskStatus) => [s.taskId, s.status])).toEqual([['sibling', 'SUCCESS']]);
    // The sibling waited behind the pause: it reached the server no sooner than maxRetryAfterMs
    // after the 429 left it (timers never fire early; 1 ms for clock rounding).
    expect(arrivals.get('sibling')! - answered429At).toBeGreaterThanOrEqual(maxRetryAfterMs - 1);
  });
});
