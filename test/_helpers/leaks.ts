import { createHook } from 'node:async_hooks';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/*
 * Proving that a test left nothing behind: no timer, no socket, no server, no pending immediate.
 *
 * The primary evidence is `process.getActiveResourcesInfo()` — every handle and ref'd timer that
 * keeps the event loop alive, by type — compared with a baseline taken before the test.
 *
 * One thing makes the raw count of `Timeout`s unreliable inside a vitest worker: the runner itself
 * arms a ref'd 100 ms timer to throttle its task-update messages, at moments we do not control. If
 * it is pending when the baseline is taken and fires during the test, a timer the test leaked is
 * hidden by it (the count is unchanged); if it is pending only at the end, it looks like a leak.
 * So every `Timeout` created while this module is loaded is also tracked (an `async_hooks` init
 * hook, with the first non-Node frame of its creation stack): timers created by vitest's own code
 * are subtracted from both counts, and the timers created by anything else since the baseline that
 * are still armed and ref'd are listed by name and stack. A leak is reported when either check
 * sees one.
 */

/**
 * How many resources of each type keep the event loop alive, from `process.getActiveResourcesInfo()`
 * (e.g. `Timeout` for a ref'd `setTimeout`/`setInterval`, `TCPSocketWrap` for an open socket,
 * `TCPServerWrap` for a listening server, `Immediate`, `PipeWrap`, …).
 */
export type ResourceCounts = ReadonlyMap<string, number>;

/** A baseline: the counts then, and where the timer tracking stood. */
export interface ResourceBaseline {
  /** Counts by type, with the runner's own live timers taken out of `Timeout`. */
  readonly counts: ResourceCounts;
  /** Timers created after this sequence number are the test's. */
  readonly timerSeq: number;
}

interface TrackedTimer {
  readonly seq: number;
  readonly timer: WeakRef<NodeJS.Timeout>;
  /** The first frames outside Node's internals: where the timer was created. */
  readonly createdAt: string;
  readonly byRunner: boolean;
}

const runnerFrame = /[\\/]node_modules[\\/](@vitest|vitest|tinypool|tinyspy|birpc)[\\/]/;
const tracked: TrackedTimer[] = [];
let timerSeq = 0;

createHook({
  init(_asyncId, type, _triggerAsyncId, resource) {
    if (type !== 'Timeout') return;
    const holder: { stack?: string } = {};
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 14;
    Error.captureStackTrace(holder);
    Error.stackTraceLimit = limit;
    const frames = (holder.stack ?? '')
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
      .filter((line) => !line.includes('node:') && !line.includes('leaks.ts'));
    tracked.push({
      seq: ++timerSeq,
      timer: new WeakRef(resource as NodeJS.Timeout),
      createdAt: frames.slice(0, 3).join(' < ') || '(unknown)',
      byRunner: runnerFrame.test(frames[0] ?? ''),
    });
  },
}).enable();

/** An armed (not fired, not cleared) timer that keeps the loop alive. */
function isLive(entry: TrackedTimer): boolean {
  const timer = entry.timer.deref() as (NodeJS.Timeout & { _destroyed?: boolean }) | undefined;
  return timer !== undefined && timer._destroyed !== true && timer.hasRef();
}

/** Drops entries of timers that are gone, so the list stays short over a long run. */
function prune(): void {
  let kept = 0;
  for (const entry of tracked) if (isLive(entry)) tracked[kept++] = entry;
  tracked.length = kept;
}

const liveRunnerTimers = (): number => tracked.filter((entry) => entry.byRunner && isLive(entry)).length;

/** @returns the active resources now, counted by type, the runner's own timers left out */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  const ownTimeouts = (counts.get('Timeout') ?? 0) - liveRunnerTimers();
  if (ownTimeouts > 0) counts.set('Timeout', ownTimeouts);
  else counts.delete('Timeout');
  return counts;
}

/**
 * Takes the baseline to compare with later: call it before the code under test starts anything
 * (in `beforeEach`, or at the top of a test).
 */
export function resourceBaseline(): ResourceBaseline {
  prune();
  return { counts: activeResources(), timerSeq };
}

/**
 * What is active now beyond the baseline: resource types whose count grew, and the timers created
 * since the baseline that are still armed and ref'd (reported as `Timeout`, with where each was
 * created, under `timers`).
 *
 * @param baseline - from {@link resourceBaseline}
 * @param types - only these types (e.g. `['Timeout', 'Immediate']` while a server is still open)
 * @returns type → how many more than in the baseline (empty when nothing was left), and the timers
 */
export function resourcesAbove(baseline: ResourceBaseline, types?: readonly string[]): Map<string, number> & { timers: string[] } {
  const above = Object.assign(new Map<string, number>(), { timers: [] as string[] });
  for (const [type, count] of activeResources()) {
    if (types && !types.includes(type)) continue;
    const extra = count - (baseline.counts.get(type) ?? 0);
    if (extra > 0) above.set(type, extra);
  }
  if (!types || types.includes('Timeout')) {
    above.timers = tracked.filter((entry) => entry.seq > baseline.timerSeq && !entry.byRunner && isLive(entry)).map((entry) => entry.createdAt);
    if (above.timers.length > (above.get('Timeout') ?? 0)) above.set('Timeout', above.timers.length);
  }
  return above;
}

/** Options of {@link expectNoLeakedResources}. */
export interface LeakCheckOptions {
  /** How long to keep polling for resources that are still closing (sockets), ms. @default 1000 */
  readonly timeoutMs?: number;
  /** Only these resource types. @default every type */
  readonly types?: readonly string[];
}

/**
 * Resolves when nothing is active beyond `baseline`, and rejects naming what was left otherwise.
 *
 * It first lets a few `setImmediate` turns pass (a socket's or server's close callback runs in the
 * loop's close phase, after the JavaScript `close` event), then polls briefly for sockets that are
 * still closing: a socket destroyed by its peer needs a loop turn or two on this side. The poll is
 * bounded by `timeoutMs`; a resource still there after it is a leak. The poll's own timer has
 * fired and been released by the time each count is read, so it never counts itself.
 *
 * @param baseline - from {@link resourceBaseline}
 * @param options - the poll bound and the types to look at
 */
export async function expectNoLeakedResources(baseline: ResourceBaseline, options: LeakCheckOptions = {}): Promise<void> {
  const { timeoutMs = 1000, types } = options;
  for (let turn = 0; turn < 3; turn++) await nextTurn();
  const deadline = performance.now() + timeoutMs;
  let above = resourcesAbove(baseline, types);
  while (above.size > 0 && performance.now() < deadline) {
    await sleep(10);
    await nextTurn();
    above = resourcesAbove(baseline, types);
  }
  if (above.size > 0) {
    const listed = [...above].map(([type, extra]) => `${type} ×${extra}`).join(', ');
    const expected = [...baseline.counts].map(([type, count]) => `${type} ×${count}`).join(', ') || 'nothing';
    const timers = above.timers.length > 0 ? `; timers created at: ${above.timers.join(' | ')}` : '';
    throw new Error(
      `leaked resources after ${timeoutMs} ms: ${listed} (baseline: ${expected}; now: ${process.getActiveResourcesInfo().join(', ')})${timers}`,
    );
  }
}

/** Collects the unhandled rejections of the process while it is installed. */
export interface RejectionTracker {
  /** The reasons seen so far. */
  readonly reasons: readonly unknown[];
  /**
   * Lets a few loop turns pass (Node reports an unhandled rejection after the microtask queue
   * drains), removes the listener, and returns every reason seen.
   */
  stop(): Promise<readonly unknown[]>;
}

/**
 * Starts collecting `unhandledRejection` events of this process. Always `stop()` it (in a `finally`
 * or `afterEach`): that removes the listener again.
 *
 * @returns the tracker
 */
export function trackUnhandledRejections(): RejectionTracker {
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => {
    reasons.push(reason);
  };
  process.on('unhandledRejection', listener);
  let stopped = false;
  return {
    get reasons() {
      return reasons.slice();
    },
    async stop() {
      if (!stopped) {
        stopped = true;
        try {
          for (let turn = 0; turn < 3; turn++) await nextTurn();
        } finally {
          process.off('unhandledRejection', listener);
        }
      }
      return reasons.slice();
    },
  };
}

/**
 * Stops the tracker and throws when it saw any unhandled rejection.
 *
 * @param tracker - from {@link trackUnhandledRejections}
 */
export async function expectNoUnhandledRejection(tracker: RejectionTracker): Promise<void> {
  const reasons = await tracker.stop();
  if (reasons.length > 0) {
    const shown = reasons.map((reason) => (reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)));
    throw new Error(`${reasons.length} unhandled rejection(s) during the test: ${shown.join('; ')}`);
  }
}
