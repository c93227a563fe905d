import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { mergeTasks, type RetryEvent, type TaskStatus } from '../../src/index.js';
import type { Fault, SimulatedTask, TaskOutcome } from '../../src/testing/index.js';
import { mulberry32 as prng } from '../../src/testing/mulberry32.js';
import { collect, statusRequests, useIntegrationHarness } from '../_helpers/integration-harness.js';

const { start } = useIntegrationHarness();


const TASKS = 500;

/** 500 tasks, PENDING 0–3 times, ending in a mix of SUCCESS and every failure outcome. */
function scriptTasks(seed: number): (SimulatedTask & { id: string; pendingPolls: number; outcome: TaskOutcome })[] {
  const random = prng(seed);
  return Array.from({ length: TASKS }, (_, i) => {
    const pick = random();
    const outcome: TaskOutcome =
      pick < 0.6
        ? { status: 'SUCCESS' }
        : pick < 0.7
          ? { status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG', message: `task ${i} is too long` }
          : pick < 0.8
            ? { status: 'ERROR', exceptionReason: 'PROCESSING_ERROR', message: { detail: 'decoder', task: i } }
            : pick < 0.9
              ? { status: 'TIMEOUT' }
              : { status: 'PAYMENT_REQUIRED', exceptionReason: 'PAYMENT_REQUIRED' };
    return { id: `soak-${String(i).padStart(3, '0')}`, pendingPolls: Math.floor(random() * 4), outcome };
  });
}

/** Only faults that a retry fixes. */
const recoverableFaults: Fault[] = [
  { type: 'http', status: 500 },
  { type: 'http', status: 502 },
  { type: 'http', status: 503 },
  { type: 'reset-before-headers' },
  { type: 'reset-mid-body' },
  { type: 'http', status: 429, retryAfter: 0 },
];

describe('soak: 500 tasks at once through mergeTasks, over real sockets, with 20% random recoverable faults', () => {
  it('every task reaches exactly one terminal status, the one the simulator scripted; none lost or duplicated', { timeout: 40_000 }, async () => {
    const tasks = scriptTasks(20_240_601);
    const sim = await start({
      tasks,
      randomFaults: { rate: 0.2, seed: 97, faults: recoverableFaults },
    });
    const retries: RetryEvent[] = [];
    const run = await collect(
      from(tasks.map((task) => task.id)).pipe(
        mergeTasks({
          apiKey: sim.apiKey,
          baseUrl: sim.url,
          interval: 10, minIntervalMs: 0,
          maxConcurrentRequests: 32,
          maxRequestsPerSecond: Infinity,
          // A read fails for good only after maxRetries + 1 consecutive faults: 0.2^11 ≈ 2e-8 per read,
          // so over ~1 300 reads a lost task would be a real bug, not bad luck.
          retry: { maxRetries: 10, baseDelayMs: 5, maxDelayMs: 20, onRetry: (event) => retries.push(event) },
        }),
      ),
    );

    // No CambMergeError, no other error: the stream completed.
    expect(run.error).toBeUndefined();
    expect(run.completed).toBe(true);

    const byTask = new Map<string, TaskStatus[]>();
    for (const status of run.values) byTask.set(status.taskId, [...(byTask.get(status.taskId) ?? []), status]);
    expect([...byTask.keys()].sort()).toEqual(tasks.map((task) => task.id).sort());

    const wrong: string[] = [];
    for (const task of tasks) {
      const statuses = byTask.get(task.id) ?? [];
      const terminal = statuses.filter((status) => status.done);
      const snapshot = sim.task(task.id);
      const expected = [...Array<string>(task.pendingPolls).fill('PENDING'), task.outcome.status];
      const problems = [
        terminal.length !== 1 && `${terminal.length} terminal statuses`,
        statuses.at(-1)?.done !== true && 'the terminal status is not the last',
        JSON.stringify(statuses.map((status) => status.status)) !== JSON.stringify(expected) && `statuses ${statuses.map((s) => s.status)}`,
        JSON.stringify(statuses.map((status) => status.poll)) !== JSON.stringify(expected.map((_, i) => i + 1)) && 'poll numbers',
        task.outcome.status === 'SUCCESS' && terminal[0]?.runId !== snapshot.runId && `runId ${terminal[0]?.runId} ≠ ${snapshot.runId}`,
        'exceptionReason' in task.outcome && terminal[0]?.exceptionReason !== task.outcome.exceptionReason && 'exceptionReason',
        'message' in task.outcome && JSON.stringify(terminal[0]?.message) !== JSON.stringify(task.outcome.message) && 'message',
        // The server counted exactly the reads the client emitted: nothing read twice, nothing dropped.
        snapshot.polls !== statuses.length && `${snapshot.polls} reads served, ${statuses.length} emitted`,
      ].filter(Boolean);
      if (problems.length > 0) wrong.push(`${task.id}: ${problems.join(', ')}`);
    }
    expect(wrong).toEqual([]);

    const requests = statusRequests(sim);
    const faulted = requests.filter((entry) => entry.fault !== undefined);
    expect(run.values).toHaveLength(tasks.reduce((sum, task) => sum + task.pendingPolls + 1, 0));
    expect(requests).toHaveLength(run.values.length + faulted.length);
    // The faults really happened, of every kind, and each one was retried.
    expect(faulted.length).toBeGreaterThan(requests.length * 0.1);
    expect(new Set(faulted.map((entry) => JSON.stringify(entry.fault))).size).toBe(recoverableFaults.length);
    expect(retries).toHaveLength(faulted.length);
  });
});
