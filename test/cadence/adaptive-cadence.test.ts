import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { adaptiveCadence, type AdaptiveCadenceOptions, type CadenceObservation } from '../../src/index.js';
import { REPLAN_EVERY } from '../../src/cadence/adaptive-cadence.js';
import { cadenceGrid } from '../../src/cadence/duration-grid.js';
import { mulberry32 } from '../../src/testing/mulberry32.js';

const age = fc.double({ min: 0, max: 6 * 3_600_000, noNaN: true });
const observationArb: fc.Arbitrary<CadenceObservation> = fc.oneof(
  age.map((runningAtMs) => ({ runningAtMs })),
  fc.tuple(age, fc.double({ min: 0, max: 600_000, noNaN: true })).map(([runningAtMs, gap]) => ({ runningAtMs, finishedByMs: runningAtMs + gap })),
);
const optionsArb: fc.Arbitrary<AdaptiveCadenceOptions> = fc
  .record({ meanLagMs: fc.integer({ min: 500, max: 60_000 }), minIntervalMs: fc.integer({ min: 0, max: 20_000 }), extraMs: fc.integer({ min: 0, max: 600_000 }) })
  .map(({ meanLagMs, minIntervalMs, extraMs }) => ({ meanLagMs, minIntervalMs, maxIntervalMs: Math.max(1, minIntervalMs + extraMs) }));
/** Ages at which the schedules are compared. */
const probeAges = Array.from({ length: 60 }, (_, i) => Math.round(1.2 ** i * 100));

/** Seeded tasks of log-normal duration (σ 0.5) around `medianMs`, each read every `gapMs`: their observations. */
function logNormalTasks(seed: number): (medianMs: number, gapMs: number) => CadenceObservation {
  const random = mulberry32(seed);
  return (medianMs, gapMs) => {
    const duration = medianMs * Math.exp(0.5 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
    const finishedByMs = Math.ceil(duration / gapMs) * gapMs;
    return { runningAtMs: finishedByMs - gapMs, finishedByMs };
  };
}

describe('adaptiveCadence', () => {
  it('never reads sooner than minIntervalMs nor later than maxIntervalMs, whatever it learned (property)', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(observationArb, { maxLength: 3 * REPLAN_EVERY }), fc.array(age, { minLength: 1, maxLength: 20 }), (options, seen, ages) => {
        const cadence = adaptiveCadence(options);
        for (const o of seen) cadence.observe(o);
        for (const a of ages) {
          const delay = cadence.nextDelayMs(a);
          expect(delay).toBeGreaterThanOrEqual(options.minIntervalMs!);
          expect(delay).toBeLessThanOrEqual(options.maxIntervalMs!);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('is deterministic, and a snapshot through JSON resumes with identical schedules (property)', () => {
    fc.assert(
      fc.property(fc.array(observationArb, { maxLength: 2 * REPLAN_EVERY + 5 }), fc.array(observationArb, { maxLength: 2 * REPLAN_EVERY }), (before, after) => {
        const original = adaptiveCadence({ meanLagMs: 4000 });
        const twin = adaptiveCadence({ meanLagMs: 4000 });
        for (const o of before) {
          original.observe(o);
          twin.observe(o);
        }
        const resumed = adaptiveCadence({ meanLagMs: 4000, snapshot: JSON.parse(JSON.stringify(original.snapshot())) });
        expect(resumed.snapshot()).toEqual(original.snapshot());
        for (const o of after) [original, twin, resumed].forEach((c) => c.observe(o));
        const schedule = (c: typeof original) => probeAges.map((a) => c.nextDelayMs(a));
        const expected = schedule(original);
        expect(schedule(twin)).toEqual(expected);
        expect(schedule(resumed)).toEqual(expected);
        expect(resumed.snapshot()).toEqual(original.snapshot()); // through later re-plans too, to the last bit
      }),
      { numRuns: 15 },
    );
  });

  it('learns: after short tasks it reads young tasks sooner than after long ones', () => {
    const quick = adaptiveCadence();
    const slow = adaptiveCadence();
    for (let i = 0; i < 8 * REPLAN_EVERY; i++) {
      quick.observe({ runningAtMs: 8000 + (i % 7) * 1000, finishedByMs: 10_000 + (i % 7) * 1000 });
      slow.observe({ runningAtMs: 590_000 + (i % 7) * 5000, finishedByMs: 600_000 + (i % 7) * 5000 });
    }
    expect(quick.observed).toBe(8 * REPLAN_EVERY);
    expect(quick.nextDelayMs(0)).toBeLessThan(slow.nextDelayMs(0));
    expect(slow.nextDelayMs(0)).toBeGreaterThan(30_000);
  });

  it('throws TypeError at call time for bad options', () => {
    expect(() => adaptiveCadence({ meanLagMs: -1 })).toThrow(TypeError);
    expect(() => adaptiveCadence({ meanLagMs: Number.NaN })).toThrow(/meanLagMs/);
    expect(() => adaptiveCadence({ minIntervalMs: 5000, maxIntervalMs: 1000 })).toThrow(/maxIntervalMs/);
    expect(() => adaptiveCadence({ prior: { sigma: 0 } })).toThrow(/prior.sigma/);
    expect(() => adaptiveCadence({ prior: { medianMs: 0 } })).toThrow(/prior.medianMs/);
    expect(() => adaptiveCadence({ snapshot: { version: 2 } as never })).toThrow(/snapshot/);
    const snapshot = adaptiveCadence().snapshot();
    expect(() => adaptiveCadence({ snapshot: { ...snapshot, distribution: snapshot.distribution.slice(1) } })).toThrow(/distribution/);
    expect(() => adaptiveCadence(null as never)).toThrow(TypeError);
    expect(() => adaptiveCadence({ meanLag: 5000 } as never)).toThrow(/meanLag/);
    expect(() => adaptiveCadence({ prior: { median: 1 } } as never)).toThrow(/prior.median/);
  });

  it('detects a shift: within 100 tasks of durations 8× longer its estimate has restarted from the recent tasks', () => {
    const cadence = adaptiveCadence();
    const median = (distribution: number[]) => {
      let sum = 0;
      return distribution.findIndex((p) => (sum += p) >= 0.5);
    };
    const task = logNormalTasks(7);
    for (let i = 0; i < 20 * REPLAN_EVERY; i++) cadence.observe(task(30_000, 2000));
    const before = cadence.snapshot();
    expect(before.weight).toBe(before.observed + 2); // no false alarm on a steady workload: the refuted prior's 2 plus every task
    for (let i = 0; i < 100; i++) cadence.observe(task(240_000, 10_000));
    const after = cadence.snapshot();
    expect(after.weight).toBeLessThan(100); // restarted: the step counts from the restart
    expect(cadence.observed).toBe(20 * REPLAN_EVERY + 100); // the tasks learned again after the change point are not counted twice
    expect(cadenceGrid.edges[median(before.distribution)]).toBeLessThan(40_000);
    expect(cadenceGrid.edges[median(after.distribution)]).toBeGreaterThan(200_000);
  });

  it('re-plans the moment its change detector fires, not at the end of the batch', () => {
    const cadence = adaptiveCadence();
    const task = logNormalTasks(7);
    for (let i = 0; i < 20 * REPLAN_EVERY; i++) cadence.observe(task(30_000, 2000));
    const steady = cadence.snapshot().weight;
    let batchBeforeRestart: number | undefined;
    for (let i = 0; i < 100 && batchBeforeRestart === undefined; i++) {
      const learnedSincePlan = cadence.snapshot().pending.length;
      cadence.observe(task(240_000, 10_000));
      const { weight, pending } = cadence.snapshot();
      if (weight < steady) {
        expect(pending).toEqual([]); // re-planned on this very task
        batchBeforeRestart = learnedSincePlan;
      }
    }
    expect(batchBeforeRestart).toBeDefined();
    expect(batchBeforeRestart! + 1).toBeLessThan(REPLAN_EVERY); // the plan came with the change, mid-batch
  });

  it('reads a version 1 snapshot as one whose detector has seen no change, and a version 2 as one that explored nothing; refuses an unknown version', () => {
    const { weight: _weight, recentDistribution: _recent, evidence: _evidence, sinceChange: _since, firstGapShare: _share, explored: _explored, exploration: _exploration, ...rest } = adaptiveCadence().snapshot();
    const noneExplored = { firstGapShare: 0, explored: [], exploration: { tracked: 0, explored: 0 } };
    const v1 = { ...rest, version: 1, surprise: 0.05 };
    const resumed = adaptiveCadence({ snapshot: v1 as never });
    expect(resumed.snapshot()).toMatchObject({ version: 3, weight: v1.observed + 10, recentDistribution: v1.distribution, evidence: 0, sinceChange: [], ...noneExplored });
    expect(probeAges.map((a) => resumed.nextDelayMs(a))).toEqual(probeAges.map((a) => adaptiveCadence().nextDelayMs(a)));
    const { firstGapShare: _s, explored: _e, exploration: _x, ...v2 } = { ...adaptiveCadence().snapshot(), version: 2 };
    expect(adaptiveCadence({ snapshot: v2 as never }).snapshot()).toEqual(adaptiveCadence().snapshot());
    expect(() => adaptiveCadence({ snapshot: { ...rest, version: 4 } as never })).toThrow(/version 1, 2 or 3/);
    expect(() => adaptiveCadence({ snapshot: { ...adaptiveCadence().snapshot(), evidence: -1 } })).toThrow(/evidence/);
    expect(() => adaptiveCadence({ snapshot: { ...adaptiveCadence().snapshot(), explored: [[1, 2, 3]] as never } })).toThrow(/explored/);
    expect(() => adaptiveCadence({ snapshot: { ...adaptiveCadence().snapshot(), exploration: { tracked: -1, explored: 0 } } })).toThrow(/exploration/);
  });

  it('a resumed cadence learns exactly as the original through later re-plans, down to the far tail of its schedule', () => {
    // Before the estimates were settled at each plan, the two drifted apart by rounding, and the
    // plan in the tail (ages where almost no task lasts) with them.
    const random = mulberry32(3);
    const original = adaptiveCadence();
    const task = () => {
      const duration = 9000 + 1000 * random();
      const firstRead = original.nextDelayMs(0);
      return firstRead >= duration ? { runningAtMs: 0, finishedByMs: firstRead } : { runningAtMs: firstRead, finishedByMs: firstRead + original.nextDelayMs(firstRead) };
    };
    for (let i = 0; i < 3 * REPLAN_EVERY + 7; i++) original.observe(task());
    const resumed = adaptiveCadence({ snapshot: JSON.parse(JSON.stringify(original.snapshot())) });
    for (let i = 0; i < 2 * REPLAN_EVERY; i++) {
      const observation = task();
      [original, resumed].forEach((c) => c.observe(observation));
    }
    expect(probeAges.map((a) => resumed.nextDelayMs(a))).toEqual(probeAges.map((a) => original.nextDelayMs(a)));
    expect(resumed.snapshot()).toEqual(original.snapshot());
  });

  it('a resumed cadence learns exactly as the original after its prior was refuted (the recent estimate resumes standing for as many tasks)', () => {
    // The recent estimate used to resume standing for the prior's weight plus the tasks seen, not
    // for the refuted prior's 2 plus the tasks, and so learned the next tasks in larger steps.
    const original = adaptiveCadence();
    for (let i = 0; i < 6; i++) original.observe({ runningAtMs: 0, finishedByMs: 500 });
    const resumed = adaptiveCadence({ snapshot: JSON.parse(JSON.stringify(original.snapshot())) });
    for (const observation of [{ runningAtMs: 0, finishedByMs: 500 }, { runningAtMs: 300 }, { runningAtMs: 0, finishedByMs: 500 }]) [original, resumed].forEach((c) => c.observe(observation));
    expect(original.snapshot().weight).toBe(original.snapshot().observed + 2); // the prior was refuted: it is worth 2 tasks
    expect(resumed.snapshot()).toEqual(original.snapshot());
  });

  it('ignores observations with nothing to learn', () => {
    const cadence = adaptiveCadence();
    cadence.observe({ runningAtMs: 0 });
    cadence.observe({ runningAtMs: Number.NaN, finishedByMs: 5 });
    expect(cadence.observed).toBe(0);
  });
});

describe('adaptiveCadence: tracking running tasks', () => {
  const schedule = (c: { nextDelayMs(a: number): number }) => probeAges.map((a) => c.nextDelayMs(a));
  const short = (i: number): CadenceObservation => ({ runningAtMs: 20_000 + (i % 5) * 1000, finishedByMs: 22_000 + (i % 5) * 1000 });

  it('plans with the tasks still running: long-running tasks move the plan before any of them ends', () => {
    const tracking = adaptiveCadence();
    const blind = adaptiveCadence();
    const tasks = Array.from({ length: 40 }, () => tracking.track());
    tasks.forEach((task, i) => [60_000, 120_000, 200_000 + i * 1000].forEach((age) => task.pending(age)));
    for (let i = 0; i < 8; i++) [tracking, blind].forEach((c) => c.observe(short(i))); // the first re-plan comes within these
    expect(schedule(tracking)).not.toEqual(schedule(blind));
    // Read later at ages the running tasks have shown to be common (they survive past 200 s).
    expect(tracking.nextDelayMs(100_000)).toBeGreaterThan(blind.nextDelayMs(100_000));
  });

  it('counts a task once: once ended and observed, it teaches exactly what observe alone would, its provisional count gone (property)', () => {
    fc.assert(
      fc.property(fc.array(observationArb, { minLength: 1, maxLength: REPLAN_EVERY + 8 }), fc.array(age, { maxLength: 6 }), (seen, ages) => {
        const tracked = adaptiveCadence({ meanLagMs: 4000 });
        const observed = adaptiveCadence({ meanLagMs: 4000 });
        for (const o of seen) {
          const task = tracked.track();
          ages.forEach((a) => task.pending(a));
          task.end();
          task.end(); // a second end does nothing
          task.pending(1000); // nor a read after the end
          tracked.observe(o);
          observed.observe(o);
        }
        expect(tracked.observed).toBe(observed.observed);
        expect(tracked.snapshot()).toEqual(observed.snapshot());
        // The next re-plan sees no task running in either: the schedules are the same.
        for (let i = 0; i < REPLAN_EVERY; i++) [tracked, observed].forEach((c) => c.observe(short(i)));
        expect(schedule(tracked)).toEqual(schedule(observed));
      }),
      { numRuns: 10 },
    );
  });

  it('a task torn down while running leaves as right-censored, with no provisional count behind', () => {
    const tracked = adaptiveCadence();
    const observed = adaptiveCadence();
    const task = tracked.track();
    task.pending(150_000);
    task.pending(400_000);
    task.end(); // unsubscribed
    tracked.observe({ runningAtMs: 400_000 });
    observed.observe({ runningAtMs: 400_000 });
    for (let i = 0; i < 8; i++) [tracked, observed].forEach((c) => c.observe(short(i)));
    expect(schedule(tracked)).toEqual(schedule(observed));
  });
});

/**
 * Watches tasks of the given durations together, one arriving every `arrivalGapMs`, each read as
 * a stream would: at creation, then after each delay its handle gives (its own when it has one:
 * an explored task) or the cadence's, reporting each pending read, then ending the handle and
 * observing; until `untilMs` of virtual time. Returns each task's detection lag (NaN: not ended).
 */
function watchTogether(cadence: ReturnType<typeof adaptiveCadence>, durations: number[], arrivalGapMs = 0, untilMs = Infinity): number[] {
  const tasks = durations.map((durationMs, i) => ({ durationMs, startMs: i * arrivalGapMs, runningAtMs: 0, readAtMs: i * arrivalGapMs, track: cadence.track() }));
  const lags = durations.map(() => Number.NaN);
  const running = new Set(tasks.keys());
  while (running.size > 0) {
    const i = [...running].reduce((a, b) => (tasks[b]!.readAtMs < tasks[a]!.readAtMs ? b : a));
    const task = tasks[i]!;
    if (task.readAtMs > untilMs) break;
    const ageMs = task.readAtMs - task.startMs;
    if (ageMs >= task.durationMs) {
      task.track.end();
      cadence.observe({ runningAtMs: task.runningAtMs, finishedByMs: ageMs });
      lags[i] = ageMs - task.durationMs;
      running.delete(i);
      continue;
    }
    task.track.pending((task.runningAtMs = ageMs));
    task.readAtMs += task.track.nextDelayMs ? task.track.nextDelayMs(ageMs) : cadence.nextDelayMs(ageMs);
  }
  return lags;
}

/** How many of `lags` ended. */
const ended = (lags: number[]) => lags.filter(Number.isFinite).length;

describe('adaptiveCadence: running tasks that outlive the estimate', () => {
  it('restarts on a workload that became longer before any of its tasks finishes, once it has learned the old one', () => {
    const cadence = adaptiveCadence();
    const task = logNormalTasks(7);
    for (let i = 0; i < 300; i++) cadence.observe(task(30_000, 2000));
    const observed = cadence.observed;
    // 40 tasks of 8× the length arrive, one every 5 s: none finishes within the 300 s watched.
    expect(ended(watchTogether(cadence, Array<number>(40).fill(240_000), 5000, 230_000))).toBe(0);
    expect(cadence.observed).toBe(observed);
    expect(cadence.snapshot().weight).toBeLessThan(10); // restarted (from the recent tasks, worth 4, and the few since the change point) and re-planned
  });

  it('tasks picked up already running (after a restart, with taskCreatedAt) are no evidence for the ages before they were first read', () => {
    const learned = adaptiveCadence();
    const task = logNormalTasks(7);
    for (let i = 0; i < 300; i++) learned.observe(task(30_000, 2000));
    const resumed = adaptiveCadence({ snapshot: JSON.parse(JSON.stringify(learned.snapshot())) });
    const { weight } = resumed.snapshot();
    // 40 tasks still running when the process stopped, each read first at 150–350 s (far past the
    // 30 s the estimate knows), then on the plan for two more minutes.
    for (let i = 0; i < 40; i++) {
      const track = resumed.track();
      for (let ageMs = 150_000 + i * 5000; ageMs < 270_000 + i * 5000; ageMs += resumed.nextDelayMs(ageMs)) track.pending(ageMs);
    }
    expect(resumed.snapshot().weight).toBe(weight); // not restarted
  });

  it('tasks that end as learned ring nothing, and a young estimate is not restarted: the running tasks already weigh in its plan', () => {
    const steady = adaptiveCadence();
    const task = logNormalTasks(3);
    for (let i = 0; i < 300; i++) steady.observe(task(30_000, 2000));
    const random = mulberry32(5);
    const durations = Array.from({ length: 400 }, () => 30_000 * Math.exp(0.5 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
    expect(ended(watchTogether(steady, durations, 2000))).toBe(400);
    const { weight: steadyWeight, observed } = steady.snapshot();
    expect(steadyWeight).toBe(observed + 2); // never restarted: the refuted prior's 2 plus every task

    const young = adaptiveCadence();
    for (let i = 0; i < 20; i++) young.observe(task(30_000, 2000));
    const weight = young.snapshot().weight;
    watchTogether(young, Array<number>(40).fill(240_000), 5000, 230_000);
    expect(young.snapshot().weight).toBe(weight);
  });
});

/** Watches one task of `durationMs` as a stream would (see `watchTogether`); returns its detection lag. */
function watch(cadence: ReturnType<typeof adaptiveCadence>, durationMs: number): number {
  return watchTogether(cadence, [durationMs])[0]!;
}

describe('adaptiveCadence: exploring the first gap between reads', () => {
  /** Tasks that all end in the last tenth of 8–10 s: inside the first gap, and late in it. */
  const lateInFirstGap = (seed: number) => {
    const random = mulberry32(seed);
    return () => 9000 + 1000 * random();
  };

  it('explores one tracked task in 12 once a fifth of the finished tasks end in the first gap: its next read comes inside that gap', () => {
    const cadence = adaptiveCadence();
    const explores = (n: number) => Array.from({ length: n }, () => cadence.track()).filter((task) => task.nextDelayMs !== undefined);
    expect(explores(24)).toHaveLength(0); // nothing learned yet: no exploring
    for (let i = 0; i < 100; i++) cadence.observe({ runningAtMs: 0, finishedByMs: cadence.nextDelayMs(0) });
    const explored = explores(24);
    expect(explored).toHaveLength(2);
    for (const task of explored) {
      task.pending(0);
      expect(task.nextDelayMs!(0)).toBeLessThan(cadence.nextDelayMs(0));
    }
  });

  it('learns where inside the first gap tasks end from the explored ones: the lag it steers by comes near the true one', () => {
    // A lag target far beyond the tasks: every task ends early in a long first gap.
    const explorer = adaptiveCadence({ meanLagMs: 20_000 });
    const blind = adaptiveCadence({ meanLagMs: 20_000 });
    const durations = lateInFirstGap(2);
    const lags = { explorer: [] as number[], blind: [] as number[] };
    for (let i = 0; i < 8 * REPLAN_EVERY; i++) {
      const duration = durations();
      lags.explorer.push(watch(explorer, duration));
      // The same task watched on the plan alone: the cadence never sees inside the first gap.
      const task = blind.track();
      task.pending(0);
      const readAt = blind.nextDelayMs(0);
      task.end();
      blind.observe(readAt >= duration ? { runningAtMs: 0, finishedByMs: readAt } : { runningAtMs: readAt, finishedByMs: readAt + blind.nextDelayMs(readAt) });
      lags.blind.push(readAt >= duration ? readAt - duration : readAt + blind.nextDelayMs(readAt) - duration);
    }
    const meanOfLast = (xs: number[]) => xs.slice(-200).reduce((a, b) => a + b, 0) / 200;
    const error = (c: typeof explorer, lag: number[]) => Math.abs(c.snapshot().achievedLagMs - meanOfLast(lag)) / meanOfLast(lag);
    expect(explorer.snapshot().explored.length).toBeGreaterThan(20);
    expect(error(explorer, lags.explorer)).toBeLessThan(0.25);
    expect(error(explorer, lags.explorer)).toBeLessThan(error(blind, lags.blind) / 2);
  });

  it('a snapshot taken while exploring resumes exactly: the explored tasks, those learned since the plan, and which task is explored next', () => {
    const original = adaptiveCadence();
    const durations = lateInFirstGap(3);
    for (let i = 0; i < 3 * REPLAN_EVERY; i++) watch(original, durations());
    // Until an explored task has been learned since the last plan.
    for (let i = 0; i < 10 * REPLAN_EVERY && !original.snapshot().pending.some((p) => p.length === 3); i++) watch(original, durations());
    const saved = original.snapshot();
    expect(saved.explored.length).toBeGreaterThan(0);
    expect(saved.pending.some((p) => p.length === 3)).toBe(true); // an explored task learned since the plan
    const resumed = adaptiveCadence({ snapshot: JSON.parse(JSON.stringify(saved)) });
    expect(resumed.snapshot()).toEqual(saved);
    const next = lateInFirstGap(4);
    for (let i = 0; i < 2 * REPLAN_EVERY; i++) {
      const duration = next();
      expect(watch(resumed, duration)).toBe(watch(original, duration));
    }
    expect(probeAges.map((a) => resumed.nextDelayMs(a))).toEqual(probeAges.map((a) => original.nextDelayMs(a)));
    expect(resumed.snapshot()).toEqual(original.snapshot());
  });
});

describe('the standalone default schedule', () => {
  it('is the same run to run: a fresh module computes the same delays', async () => {
    const first = await import('../../src/cadence/standalone-cadence.js');
    const delays = probeAges.map((a) => first.standaloneCadence.nextDelayMs(a));
    vi.resetModules();
    const again = await import('../../src/cadence/standalone-cadence.js');
    expect(again.standaloneCadence).not.toBe(first.standaloneCadence);
    expect(probeAges.map((a) => again.standaloneCadence.nextDelayMs(a))).toEqual(delays);
    // It learns nothing: observations leave it as it was.
    again.standaloneCadence.observe({ runningAtMs: 1000, finishedByMs: 2000 });
    expect(probeAges.map((a) => again.standaloneCadence.nextDelayMs(a))).toEqual(delays);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1000);
  });
});
