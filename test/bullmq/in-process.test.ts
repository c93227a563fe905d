import { firstValueFrom, from, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createCambQueue, DecidedBy, type CambQueue, type QueuedTaskStatus } from '../../src/bullmq/index.js';
import { expectNoLeakedResources, resourceBaseline } from '../_helpers/leaks.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { redisConnection, useRedisPrefixes } from './redis-harness.js';

const startSimulator = useSimulators();
const newPrefix = useRedisPrefixes();
const budget = { maxRequestsPerSecond: 50, maxConcurrentRequests: 10 };

/** A queue on the simulator, with a fast cadence; closed by the caller. */
async function queueOn(simulator: { url: string; apiKey: string }, extra: Partial<Parameters<typeof createCambQueue>[0]> = {}): Promise<CambQueue> {
  return createCambQueue({ apiKey: simulator.apiKey, baseUrl: simulator.url, connection: redisConnection, prefix: newPrefix(), budget, interval: 50, ...extra });
}

describe('createCambQueue in one process', () => {
  it('watches tasks to their terminal status and delivers each once, however often it was watched', async () => {
    const simulator = await startSimulator();
    const ids = [
      simulator.addTask({ pendingPolls: 2 }),
      simulator.addTask({ pendingPolls: 0, outcome: { status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG' } }),
      simulator.addTask({ id: 'with:colon', pendingPolls: 1 }),
    ];
    const camb = await queueOn(simulator);
    try {
      for (const id of [...ids, ...ids]) await camb.watch(id);
      const worker = camb.runWorker({ concurrency: 4 }).subscribe();
      const delivered = await firstValueFrom(camb.terminalStatuses$().pipe(take(3), toArray()));
      worker.unsubscribe();
      expect(delivered.map((s) => s.taskId).sort()).toEqual([...ids].sort());
      const byId = new Map(delivered.map((s) => [s.taskId, s]));
      expect(byId.get(ids[0]!)).toMatchObject({ status: 'SUCCESS', poll: 3, decidedBy: DecidedBy.camb });
      expect(byId.get(ids[1]!)).toMatchObject({ status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG', poll: 1 });
      expect(simulator.task('with:colon').polls).toBe(2);
      // Watching a finished task again adds nothing: its result job is kept.
      await camb.watch(ids[0]!);
      expect(simulator.task(ids[0]!).polls).toBe(3);
    } finally {
      await camb.close();
    }
  });

  it('creates a transcription as a job, then watches it, and delivers its transcript on request', async () => {
    const simulator = await startSimulator({ createdTask: { pendingPolls: 1 } });
    const camb = await queueOn(simulator, { transcripts: true });
    try {
      const worker = camb.runWorker({ concurrency: 2 }).subscribe();
      const { taskId } = await firstValueFrom(camb.createTranscription({ language: 1, mediaUrl: 'https://example.com/talk.mp3' }));
      const [result] = await firstValueFrom(camb.results$(async () => undefined).pipe(take(1), toArray()));
      worker.unsubscribe();
      expect(result).toMatchObject({ taskId, status: 'SUCCESS', decidedBy: 'camb' });
      expect(result?.transcript?.length).toBeGreaterThan(0);
      expect(simulator.requests.map((r) => r.route)).toEqual(['create', 'status', 'status', 'result']);
    } finally {
      await camb.close();
    }
  });

  it('retries a result whose handler failed, and ends a task CAMB never finishes as a TIMEOUT at timeoutMs', async () => {
    const simulator = await startSimulator();
    const id = simulator.addTask({ statuses: ['PENDING'] });
    const camb = await queueOn(simulator, { timeoutMs: 400, interval: 100 });
    try {
      const worker = camb.runWorker({ concurrency: 1 }).subscribe();
      await camb.watch(id);
      let calls = 0;
      const handler = async (status: QueuedTaskStatus) => {
        calls += 1;
        if (calls === 1) throw new Error(`handler failed on ${status.taskId}`);
      };
      const [result] = await firstValueFrom(camb.results$(handler).pipe(take(1), toArray()));
      worker.unsubscribe();
      expect(calls).toBe(2);
      expect(result).toMatchObject({ taskId: id, status: 'TIMEOUT', exceptionReason: 'CAMB_TIMEOUT', decidedBy: DecidedBy.cambRx });
      expect(result!.elapsedMs).toBeGreaterThanOrEqual(400);
      // Every read at the server came before the deadline.
      expect(simulator.task(id).polls).toBe(result!.poll);
    } finally {
      await camb.close();
    }
  });

  it('watchAll emits each id once its watch is in Redis; a permanent 404 ends as ERROR decided by camb-rx', async () => {
    const simulator = await startSimulator();
    const known = simulator.addTask({ pendingPolls: 0 });
    const camb = await queueOn(simulator);
    try {
      const enqueued = await firstValueFrom(camb.watchAll(from([known, 'unknown-task'])).pipe(toArray()));
      expect(enqueued).toEqual([known, 'unknown-task']);
      const worker = camb.runWorker({ concurrency: 2 }).subscribe();
      const delivered = await firstValueFrom(camb.terminalStatuses$().pipe(take(2), toArray()));
      worker.unsubscribe();
      const missing = delivered.find((s) => s.taskId === 'unknown-task');
      expect(missing).toMatchObject({ status: 'ERROR', exceptionReason: 'CAMB_HTTP_ERROR', decidedBy: 'camb-rx' });
    } finally {
      await camb.close();
    }
  });

  it('refuses bad options and arguments with a TypeError at call time', () => {
    const base = { apiKey: 'k', connection: redisConnection, prefix: newPrefix(), budget };
    expect(() => createCambQueue({ ...base, budget: { maxRequestsPerSecond: 1, maxConcurrentRequests: 1 } })).toThrow(TypeError);
    expect(() => createCambQueue({ ...base, prefix: 'a:b' })).toThrow(/prefix/);
    expect(() => createCambQueue({ ...base, connection: undefined as never })).toThrow(/connection/);
    expect(() => createCambQueue({ ...base, interval: -1 })).toThrow(/interval/);
    expect(() => createCambQueue({ ...base, cadences: { transcription: {} } as never })).toThrow(/cadences/);
    expect(() => createCambQueue({ ...base, cadences: { transcribe: { meanLagMs: -1 } } })).toThrow(/meanLagMs/);
    expect(() => createCambQueue({ ...base, cadences: { transcribe: { meanLag: 5 } as never } })).toThrow(/did you mean `meanLagMs`/);
    expect(() => createCambQueue({ ...base, timeOutMs: 5 } as never)).toThrow(/unknown option `timeOutMs`; did you mean `timeoutMs`/);
    expect(() => createCambQueue({ ...base, budget: { ...budget, maxRequestPerSecond: 5 } } as never)).toThrow(/unknown option `budget.maxRequestPerSecond`/);
    const camb = createCambQueue(base);
    expect(() => camb.runWorker({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => camb.runWorker({ concurrency: 1, lockDuration: 5 } as never)).toThrow(/did you mean `lockDurationMs`/);
    expect(() => camb.watchAll([], 'nope' as never)).toThrow(/kind/);
    expect(() => camb.createTranscription({ language: 1, mediaFile: new Uint8Array(1) })).toThrow(/`mediaUrl` only/);
    expect(() => camb.results$('x' as never)).toThrow(/handler/);
    expect(() => camb.watch('')).toThrow(TypeError);
    return camb.close();
  });

  it.each([
    ['an interval', { interval: 50 }],
    ['the shared adaptive cadence', { interval: undefined }],
  ])('leaves no socket or timer behind once the worker is unsubscribed and the queue closed (%s)', async (_, cadence) => {
    const simulator = await startSimulator();
    const baseline = resourceBaseline();
    const camb = await queueOn(simulator, cadence);
    const worker = camb.runWorker({ concurrency: 2 }).subscribe();
    const results = camb.terminalStatuses$().subscribe();
    await camb.watch(simulator.addTask({ pendingPolls: 0 }));
    await simulator.waitForRequest((entry) => entry.route === 'status');
    worker.unsubscribe();
    results.unsubscribe();
    await camb.close();
    await simulator.close();
    await expectNoLeakedResources(baseline, { timeoutMs: 3000 });
  });
});
