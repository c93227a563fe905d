import { setTimeout as sleep } from 'node:timers/promises';
import { asyncScheduler, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { afterEach, beforeEach } from 'vitest';
import type { FetchInit, FetchLike, FetchResponse, PollOptions } from '../../src/index.js';
import { startCambSimulator, type CambSimulator, type CambSimulatorOptions } from '../../src/testing/index.js';
import { mulberry32 } from '../../src/testing/mulberry32.js';
import {
  expectNoLeakedResources,
  expectNoUnhandledRejection,
  resourceBaseline,
  trackUnhandledRejections,
  type RejectionTracker,
  type ResourceBaseline,
} from './leaks.js';

export { sleep };

/** What a finished (or still running) subscription produced. */
export interface Collected<T> {
  readonly values: T[];
  error: unknown;
  completed: boolean;
  /** True once the stream errored or completed. */
  readonly ended: boolean;
  readonly subscription: Subscription;
  /** Resolves when the stream errors or completes (never rejects). */
  readonly done: Promise<void>;
}

/**
 * Subscribes and records every notification.
 *
 * @param source$ - the stream
 * @returns the live record; await `done` for the end
 */
export function record<T>(source$: Observable<T>): Collected<T> {
  const values: T[] = [];
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const state = {
    values,
    error: undefined as unknown,
    completed: false,
    get ended() {
      return this.completed || this.error !== undefined;
    },
    subscription: undefined as unknown as Subscription,
    done,
  };
  state.subscription = source$.subscribe({
    next: (value) => values.push(value),
    error: (error: unknown) => {
      state.error = error ?? new Error('stream failed with a nullish error');
      resolveDone();
    },
    complete: () => {
      state.completed = true;
      resolveDone();
    },
  });
  return state;
}

/**
 * Subscribes, waits for the end, and returns what the stream produced.
 *
 * @param source$ - the stream
 * @returns values, error, completed
 */
export async function collect<T>(source$: Observable<T>): Promise<Collected<T>> {
  const recorded = record(source$);
  await recorded.done;
  return recorded;
}

/** Connection and polling options for the simulator: short real intervals and retry delays. */
export function simOptions(simulator: CambSimulator, overrides: Partial<PollOptions> = {}): PollOptions {
  return {
    apiKey: simulator.apiKey,
    baseUrl: simulator.url,
    interval: 20, minIntervalMs: 0,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  };
}

/** The simulator's status requests (not preflights, creates or results), oldest first. */
export function statusRequests(simulator: CambSimulator) {
  return simulator.requests.filter((entry) => entry.route === 'status');
}

/**
 * Per test: a resource baseline and an unhandled-rejection tracker taken before the test; after
 * it, every simulator started through `start` is closed, then the leak check runs against the
 * baseline, then the rejection check.
 *
 * @returns `start(options?)` for simulators closed after the test, and `baseline()` for the
 *   current test's baseline (for checks inside a test, e.g. "no timer left" while a server is open)
 */
export function useIntegrationHarness(): {
  start: (options?: CambSimulatorOptions) => Promise<CambSimulator>;
  baseline: () => ResourceBaseline;
} {
  const started: CambSimulator[] = [];
  let baseline: ResourceBaseline = resourceBaseline();
  let tracker: RejectionTracker | undefined;

  beforeEach(() => {
    tracker = trackUnhandledRejections();
    baseline = resourceBaseline();
  });

  afterEach(async () => {
    const current = tracker;
    tracker = undefined;
    try {
      await Promise.all(started.splice(0).map((simulator) => simulator.close()));
      await expectNoLeakedResources(baseline);
    } finally {
      if (current) await expectNoUnhandledRejection(current);
    }
  });

  return {
    start: async (options) => {
      const simulator = await startCambSimulator(options);
      started.push(simulator);
      return simulator;
    },
    baseline: () => baseline,
  };
}

/** One call seen by {@link probeFetch}. */
export interface ProbeCall {
  /** 1-based call number; also sent as the `x-probe` header, which the simulator logs. */
  readonly n: number;
  readonly url: string;
  /** `Date.now()` at the call: the clock the request budget uses. */
  readonly at: number;
  /** `performance.now()` at the call: the clock of the simulator's log. */
  readonly perfAt: number;
  /** The last `now()` read from a {@link clockWatchingScheduler} before the call, when one is given. */
  readonly decidedAt?: number;
  /** `Date.now()` when the response headers arrived (or the call failed). */
  respondedAt?: number;
  /** `performance.now()` when the response headers arrived (or the call failed). */
  respondedPerfAt?: number;
  /** How many calls had been made by then: a clock-free order of events. */
  callsWhenResponded?: number;
  /** The HTTP status, once known. */
  status?: number;
  /** `performance.now()` when the body was read to its end, cancelled, or the call failed. */
  endedAt?: number;
}

/**
 * `asyncScheduler`, remembering the last `now()` it answered. The request budget reads `now()` once
 * when it decides to start a request, records that time in its one-second window, and calls fetch
 * in the same synchronous step (nothing between reads the clock); so a fetch wrapper that reads
 * `lastNow()` sees the exact time the limiter decided with, whatever happened in between (a GC
 * pause, the process descheduled on a busy machine).
 */
export function clockWatchingScheduler(): { scheduler: SchedulerLike; lastNow: () => number } {
  let last = Number.NaN;
  const scheduler: SchedulerLike = {
    now: () => (last = asyncScheduler.now()),
    schedule: ((...args: Parameters<SchedulerLike['schedule']>) => asyncScheduler.schedule(...args)) as SchedulerLike['schedule'],
  };
  return { scheduler, lastNow: () => last };
}

/**
 * Wraps a fetch to see, at the client, when each request starts and ends: `calls` in call order,
 * `inFlight`/`maxInFlight` from the call until the response body was read to its end (or failed),
 * which lies inside the time the request holds its budget slot.
 *
 * @param inner - the fetch to wrap (default: the global fetch, read at call time)
 * @param decidedAt - read at each call, e.g. `lastNow` of a {@link clockWatchingScheduler}
 */
export function probeFetch(inner?: FetchLike, decidedAt?: () => number) {
  const calls: ProbeCall[] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  const fetch: FetchLike = async (url: string, init: FetchInit): Promise<FetchResponse> => {
    const call: ProbeCall = {
      n: calls.length + 1,
      url,
      at: Date.now(),
      perfAt: performance.now(),
      ...(decidedAt && { decidedAt: decidedAt() }),
    };
    calls.push(call);
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      call.endedAt = performance.now();
      stats.inFlight--;
    };
    const target = inner ?? (globalThis.fetch as unknown as FetchLike);
    let response: FetchResponse;
    try {
      response = await target(url, { ...init, headers: { ...init.headers, 'x-probe': String(call.n) } });
    } catch (error) {
      call.respondedAt = Date.now();
      call.respondedPerfAt = performance.now();
      end();
      throw error;
    }
    call.respondedAt = Date.now();
    call.respondedPerfAt = performance.now();
    call.callsWhenResponded = calls.length;
    call.status = response.status;
    // Only a WHATWG body can be watched; any other (node-fetch's Node stream) is passed on as it is.
    const reader = typeof response.body?.getReader === 'function' ? response.body.getReader() : undefined;
    if (!reader) {
      end();
      return response;
    }
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            end();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          end();
          controller.error(error);
        }
      },
      async cancel(reason) {
        end();
        await reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers as Headers });
  };
  return { fetch, calls, stats };
}

/**
 * The most items of `times` (sorted ascending) that fall within any half-open window
 * `[t, t + windowMs)`.
 */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
    best = Math.max(best, last - first + 1);
  }
  return best;
}

/**
 * Wraps a fetch to add a random transit delay before each request leaves, from 0 to `maxMs`
 * (seeded, so a run is reproducible): latency jitter between the request budget and the server.
 * An abort during the delay rejects with the signal's reason and sends nothing.
 *
 * @param maxMs - the largest added delay
 * @param seed - the PRNG seed
 * @param inner - the fetch to wrap (default: the global fetch, read at call time)
 */
export function jitteredFetch(maxMs: number, seed: number, inner?: FetchLike): FetchLike {
  const random = mulberry32(seed);
  return (url, init) => {
    const delayMs = random() * maxMs;
    const target = inner ?? (globalThis.fetch as unknown as FetchLike);
    return new Promise<FetchResponse>((resolve, reject) => {
      const { signal } = init;
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        target(url, init).then(resolve, reject);
      }, delayMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  };
}
