import { of, type Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  adaptiveCadence,
  createCambClient,
  mergeTasks,
  transcriptionStatus$,
  type CadenceObservation,
  type PollCadence,
  type TaskStatus,
} from '../../src/index.js';
import { stubFetch } from '../_helpers/stub-fetch.js';

const apiKey = 'secret-key-123';
const baseUrl = 'https://client.camb.ai/apis';
const PENDING = { status: 'PENDING' };
const SUCCESS = { status: 'SUCCESS', run_id: 7 };

/** A cadence that reads every `delayMs` and records what it is asked and told. */
function recordingCadence(delayMs: number) {
  const asked: number[] = [];
  const told: CadenceObservation[] = [];
  const cadence: PollCadence = {
    nextDelayMs: (ageMs) => (asked.push(ageMs), delayMs),
    observe: (observation) => told.push(observation),
  };
  return { cadence, asked, told };
}

function record(stream: Observable<TaskStatus>) {
  const values: TaskStatus[] = [];
  const subscription = stream.subscribe({ next: (v) => values.push(v), error: () => {} });
  return { values, subscription };
}

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => {
  expect(vi.getTimerCount()).toBe(0); // no timer left behind
  vi.useRealTimers();
});

describe('a status stream with a cadence as interval', () => {
  it('asks the cadence for each delay by age, and reports a finished task as interval-censored', async () => {
    const { cadence, asked, told } = recordingCadence(3000);
    const fetch = stubFetch(PENDING, PENDING, SUCCESS);
    const { values } = record(transcriptionStatus$('t', { apiKey, baseUrl, fetch, retry: false, interval: cadence }));
    await vi.advanceTimersByTimeAsync(6000);
    expect(values.map((s) => [s.status, s.elapsedMs])).toEqual([
      ['PENDING', 0],
      ['PENDING', 3000],
      ['SUCCESS', 6000],
    ]);
    expect(asked).toEqual([0, 3000]);
    expect(told).toEqual([{ runningAtMs: 3000, finishedByMs: 6000 }]);
  });

  it('reports a task it stopped watching as right-censored at its last pending read, once', async () => {
    const { cadence, told } = recordingCadence(2000);
    const fetch = stubFetch(PENDING);
    const { subscription } = record(transcriptionStatus$('t', { apiKey, baseUrl, fetch, retry: false, interval: cadence }));
    await vi.advanceTimersByTimeAsync(4500);
    subscription.unsubscribe();
    subscription.unsubscribe();
    expect(told).toEqual([{ runningAtMs: 4000 }]);
  });

  it('reports right-censoring at the deadline too', async () => {
    const { cadence, told } = recordingCadence(2000);
    const fetch = stubFetch(PENDING);
    record(transcriptionStatus$('t', { apiKey, baseUrl, fetch, retry: false, interval: cadence, timeoutMs: 5000 }));
    await vi.advanceTimersByTimeAsync(5000);
    expect(told).toEqual([{ runningAtMs: 4000 }]);
  });

  it('counts age from taskCreatedAt: elapsedMs, the cadence and the observation', async () => {
    const { cadence, asked, told } = recordingCadence(1000);
    const fetch = stubFetch(PENDING, SUCCESS);
    const { values } = record(transcriptionStatus$('t', { apiKey, baseUrl, fetch, retry: false, interval: cadence, taskCreatedAt: Date.now() - 90_000 }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(values.map((s) => s.elapsedMs)).toEqual([90_000, 91_000]);
    expect(asked).toEqual([90_000]);
    expect(told).toEqual([{ runningAtMs: 90_000, finishedByMs: 91_000 }]);
  });

  it('rejects a bad taskCreatedAt or cadence result at call time / at once', async () => {
    const fetch = stubFetch(PENDING);
    expect(() => transcriptionStatus$('t', { apiKey, fetch, taskCreatedAt: Number.NaN })).toThrow(/taskCreatedAt/);
    expect(() => transcriptionStatus$('t', { apiKey, fetch, taskCreatedAt: '2026' as never })).toThrow(TypeError);
    const broken: PollCadence = { nextDelayMs: () => -5, observe: () => {} };
    const errors: unknown[] = [];
    transcriptionStatus$('t', { apiKey, baseUrl, fetch, retry: false, interval: broken }).subscribe({ error: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(0);
    expect(errors[0]).toBeInstanceOf(TypeError);
  });

  it('without interval reads on the standalone schedule: never sooner than 1 s apart, the same every time', async () => {
    const gapsOf = async () => {
      const fetch = stubFetch(PENDING);
      const { values, subscription } = record(transcriptionStatus$('t', { apiKey, baseUrl, fetch, retry: false }));
      await vi.advanceTimersByTimeAsync(10 * 60_000);
      subscription.unsubscribe();
      return values.slice(1).map((s, i) => s.elapsedMs - values[i]!.elapsedMs);
    };
    const gaps = await gapsOf();
    expect(gaps.length).toBeGreaterThan(10);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    expect(await gapsOf()).toEqual(gaps);
  });
});

describe('a status stream with a cadence that tracks running tasks', () => {
  /** A cadence with `track`: records, in order, every pending age and end per task, and every observation. */
  function trackingCadence(delayMs: number) {
    const tasks: { pending: number[]; ends: number }[] = [];
    const observed: CadenceObservation[] = [];
    /** What happened, in order: `end <task>` and `observe`. */
    const events: string[] = [];
    const cadence: PollCadence = {
      nextDelayMs: () => delayMs,
      observe: (observation) => (observed.push({ ...observation }), events.push('observe')),
      track: () => {
        const task = { pending: [] as number[], ends: 0 };
        const index = tasks.push(task) - 1;
        return { pending: (ageMs) => task.pending.push(ageMs), end: () => (task.ends++, events.push(`end ${index}`)) };
      },
    };
    return { cadence, tasks, observed, events };
  }

  it("reports every pending read to the task's handle, then ends it just before the observation", async () => {
    const { cadence, tasks, observed, events } = trackingCadence(3000);
    const fetch = stubFetch(PENDING, PENDING, SUCCESS);
    record(transcriptionStatus$('t', { apiKey, baseUrl, fetch, retry: false, interval: cadence }));
    await vi.advanceTimersByTimeAsync(6000);
    expect(tasks).toEqual([{ pending: [0, 3000], ends: 1 }]);
    expect(observed).toEqual([{ runningAtMs: 3000, finishedByMs: 6000 }]);
    expect(events).toEqual(['end 0', 'observe']);
  });

  it('ends the handle once, then observes right-censored, when the stream is torn down (unsubscribe or the deadline)', async () => {
    const { cadence, tasks, observed, events } = trackingCadence(2000);
    const { subscription } = record(transcriptionStatus$('a', { apiKey, baseUrl, fetch: stubFetch(PENDING), retry: false, interval: cadence }));
    record(transcriptionStatus$('b', { apiKey, baseUrl, fetch: stubFetch(PENDING), retry: false, interval: cadence, timeoutMs: 5000 }));
    await vi.advanceTimersByTimeAsync(4500);
    subscription.unsubscribe();
    subscription.unsubscribe();
    await vi.advanceTimersByTimeAsync(1000);
    expect(tasks.map((t) => t.ends)).toEqual([1, 1]);
    expect(observed).toEqual([{ runningAtMs: 4000 }, { runningAtMs: 4000 }]);
    expect(events).toEqual(['end 0', 'observe', 'end 1', 'observe']);
  });

  it('mergeTasks and the client track each task the same way', async () => {
    const { cadence, tasks, observed, events } = trackingCadence(1000);
    const fetch = stubFetch(PENDING, PENDING, SUCCESS);
    of('a', 'b').pipe(mergeTasks({ apiKey, baseUrl, fetch, retry: false, interval: cadence })).subscribe();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tasks).toHaveLength(2);
    expect(tasks.map((t) => t.ends)).toEqual([1, 1]);
    expect(observed).toHaveLength(2);
    for (const [i, task] of tasks.entries()) expect(task.pending.at(-1)).toBe(observed[i]!.runningAtMs);
    expect(observed.every((o) => o.finishedByMs! > o.runningAtMs)).toBe(true);
    expect(events.filter((e) => e.startsWith('end')).length).toBe(2);
    events.forEach((e, i) => e.startsWith('end') && expect(events[i + 1]).toBe('observe'));
  });
});

describe("a status stream whose cadence gives a task its own delays (an explored task)", () => {
  /** A cadence reading every 5 s whose tracked tasks read 1 s after their first read, then as the cadence says. */
  function exploringCadence(firstDelay: (ageMs: number) => number = () => 1000) {
    const asked: string[] = [];
    const cadence: PollCadence = {
      nextDelayMs: (ageMs) => (asked.push(`cadence ${ageMs}`), 5000),
      observe: () => {},
      track: () => {
        let asks = 0;
        return { pending: () => {}, end: () => {}, nextDelayMs: (ageMs) => (asked.push(`task ${ageMs}`), asks++ === 0 ? firstDelay(ageMs) : cadence.nextDelayMs(ageMs)) };
      },
    };
    return { cadence, asked };
  }

  it('asks the task, not the cadence: a stream and mergeTasks read when the task says', async () => {
    const single = exploringCadence();
    const { values } = record(transcriptionStatus$('t', { apiKey, baseUrl, fetch: stubFetch(PENDING, PENDING, SUCCESS), retry: false, interval: single.cadence }));
    await vi.advanceTimersByTimeAsync(6000);
    expect(values.map((s) => s.elapsedMs)).toEqual([0, 1000, 6000]);
    expect(single.asked).toEqual(['task 0', 'task 1000', 'cadence 1000']);
    const merged = exploringCadence();
    const statuses: TaskStatus[] = [];
    of('a').pipe(mergeTasks({ apiKey, baseUrl, fetch: stubFetch(PENDING, PENDING, SUCCESS), retry: false, interval: merged.cadence })).subscribe((s) => statuses.push(s));
    await vi.advanceTimersByTimeAsync(6000);
    expect(statuses.map((s) => s.elapsedMs)).toEqual([0, 1000, 6000]);
    expect(merged.asked).toEqual(['task 0', 'task 1000', 'cadence 1000']);
  });

  it("keeps the stream's minIntervalMs floor under the task's delays too", async () => {
    const { cadence } = exploringCadence();
    const { values } = record(transcriptionStatus$('t', { apiKey, baseUrl, fetch: stubFetch(PENDING, SUCCESS), retry: false, interval: cadence, minIntervalMs: 3000 }));
    await vi.advanceTimersByTimeAsync(3000);
    expect(values.map((s) => s.elapsedMs)).toEqual([0, 3000]);
  });

  it("fails the stream with a TypeError when the task's delay is not a delay", async () => {
    const { cadence } = exploringCadence(() => Number.NaN);
    const errors: { stream?: unknown; merged?: unknown } = {};
    transcriptionStatus$('t', { apiKey, baseUrl, fetch: stubFetch(PENDING), retry: false, interval: cadence }).subscribe({ error: (e) => (errors.stream = e) });
    of('a').pipe(mergeTasks({ apiKey, baseUrl, fetch: stubFetch(PENDING), retry: false, interval: cadence })).subscribe({ error: (e) => (errors.merged = e) });
    await vi.advanceTimersByTimeAsync(0);
    expect(errors.stream).toBeInstanceOf(TypeError);
    const why = /interval\.nextDelayMs\(ageMs\) result.*got NaN/; // the task's delay is checked as the cadence's
    expect(String(errors.stream)).toMatch(why);
    expect(String(errors.merged)).toMatch(why); // mergeTasks names it for the task it could not follow
  });
});

describe('sharing one adaptive cadence', () => {
  it('mergeTasks reports every task to the cadence it is given', async () => {
    const cadence = adaptiveCadence({ minIntervalMs: 1000 });
    const fetch = stubFetch(PENDING, PENDING, PENDING, SUCCESS);
    of('a', 'b', 'c').pipe(mergeTasks({ apiKey, baseUrl, fetch, retry: false, interval: cadence })).subscribe();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(cadence.observed).toBe(3);
  });

  it('a restarted process that picks up running tasks with taskCreatedAt keeps what it learned (they are no evidence of a change)', async () => {
    const learned = adaptiveCadence();
    for (let i = 0; i < 300; i++) learned.observe({ runningAtMs: 28_000 + (i % 5) * 1000, finishedByMs: 30_000 + (i % 5) * 1000 });
    const resumed = adaptiveCadence({ snapshot: JSON.parse(JSON.stringify(learned.snapshot())) });
    const { weight } = resumed.snapshot();
    const fetch = stubFetch(PENDING);
    // 40 tasks created 150–345 s ago, far past the 30 s the cadence knows, read for two minutes.
    const streams = Array.from({ length: 40 }, (_, i) => record(transcriptionStatus$(`t${i}`, { apiKey, baseUrl, fetch, retry: false, interval: resumed, taskCreatedAt: Date.now() - 150_000 - i * 5000 })));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetch.calls.length).toBeGreaterThanOrEqual(40);
    expect(resumed.snapshot().weight).toBe(weight); // not restarted
    streams.forEach(({ subscription }) => subscription.unsubscribe());
  });

  it('a client learns per task kind by default, exposed for snapshots', async () => {
    const fetch = stubFetch(PENDING, SUCCESS);
    const camb = createCambClient({ apiKey, baseUrl, fetch, retry: false });
    expect(camb.cadence()).toBe(camb.cadence('transcribe'));
    expect(camb.cadence('dub')).not.toBe(camb.cadence('transcribe'));
    camb.transcriptionStatus$('a').subscribe();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(camb.cadence('transcribe').observed).toBe(1);
    expect(camb.cadence('dub').observed).toBe(0);
    // A second client resumes from the first one's snapshot.
    const resumed = createCambClient({ apiKey, baseUrl, fetch, cadences: { transcribe: { snapshot: camb.cadence().snapshot() } } });
    expect(resumed.cadence().snapshot()).toEqual(camb.cadence().snapshot());
    expect(() => createCambClient({ apiKey, cadences: { nope: {} } as never })).toThrow(/cadences/);
    expect(() => createCambClient({ apiKey, cadences: { dub: { meanLagMs: -1 } } })).toThrow(/meanLagMs/);
  });
});
