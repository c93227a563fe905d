import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createCambQueue,
  limiterWindows,
  type CambQueue,
  type CambQueueOptions,
  type Decider,
  type LimiterWindows,
  type QueuedTaskStatus,
} from '../../src/bullmq/index.js';
import type { TaskStatus } from '../../src/index.js';

const options: CambQueueOptions = { apiKey: 'key', connection: { host: '127.0.0.1', port: 6379 }, budget: { maxRequestsPerSecond: 10, maxConcurrentRequests: 2 } };

describe('camb-rx/bullmq', () => {
  it('createCambQueue(options) is a CambQueue of promises and observables', () => {
    const camb = createCambQueue(options);
    expectTypeOf(camb).toEqualTypeOf<CambQueue>();
    expectTypeOf(camb.watch('id')).toEqualTypeOf<Promise<void>>();
    expectTypeOf(camb.watchAll(['a', 'b'], 'dub')).toEqualTypeOf<Observable<string>>();
    expectTypeOf(camb.runWorker({ concurrency: 4 })).toEqualTypeOf<Observable<TaskStatus>>();
    expectTypeOf(camb.results$(async () => undefined)).toEqualTypeOf<Observable<QueuedTaskStatus>>();
    expectTypeOf(camb.terminalStatuses$()).toEqualTypeOf<Observable<QueuedTaskStatus>>();
    expectTypeOf(camb.createTranscription({ language: 1, mediaUrl: 'https://example.com/a.mp3' })).toEqualTypeOf<Observable<{ taskId: string }>>();
  });

  it('a QueuedTaskStatus is a TaskStatus that says who decided it, with an optional transcript', () => {
    expectTypeOf<QueuedTaskStatus>().toMatchTypeOf<TaskStatus>();
    expectTypeOf<QueuedTaskStatus['decidedBy']>().toEqualTypeOf<Decider>();
    expectTypeOf<Decider>().toEqualTypeOf<'camb' | 'camb-rx'>();
  });

  it('the budget needs both limits; the rest is optional', () => {
    // @ts-expect-error maxConcurrentRequests is required
    const missing: CambQueueOptions = { apiKey: 'key', connection: {}, budget: { maxRequestsPerSecond: 10 } };
    expectTypeOf(missing).toEqualTypeOf<CambQueueOptions>();
    expectTypeOf(limiterWindows(100, 40)).toEqualTypeOf<LimiterWindows>();
  });
});
