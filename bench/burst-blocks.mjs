// Where the longest blocks of the event loop go while 100,000 ids arrive at once: a 1 ms
// setInterval records every gap in the loop from `subscribe()` until every task has its first
// status, and a PerformanceObserver on `gc` entries says how much of each gap was a collection
// (kind 1 = scavenge, 4 = mark-compact, 8 = incremental marking), and how many reads went out,
// answers came back (the stub's timers) and statuses were emitted in it. Same workload as the burst of
// bench/scale.mjs (a 5 ms in-process stub, 60 s interval, budget opened), without its warm-up.
// Prints the eight longest gaps. Not part of `npm run bench`:
//   npm run build && node bench/burst-blocks.mjs
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { from } from 'rxjs';
import { mergeTasks } from 'camb-rx';
import { answerAfter } from './lib/common.mjs';

const N = 100_000;
const LATENCY_MS = 5;
const SHOWN = 8;

/** Every collection's span, in performance.now() time. */
const collections = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push({ start: entry.startTime, end: entry.startTime + entry.duration, kind: entry.detail?.kind ?? entry.kind });
}).observe({ entryTypes: ['gc'] });

/** When each read went out, each answer came back and each status was emitted. */
const events = { reads: [], answers: [], statuses: [] };

/** The stub of bench/scale.mjs: PENDING after LATENCY_MS, abortable; every read and answer noted. */
const stubFetch = () => (url, init) => {
  events.reads.push(performance.now());
  return answerAfter(LATENCY_MS, { status: 'PENDING' }, init.signal).then((response) => (events.answers.push(performance.now()), response));
};

/** Every gap between two ticks of a 1 ms interval: the loop's blocks. */
const gaps = [];
let lastTick = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  gaps.push({ start: lastTick, end: now });
  lastTick = now;
}, 1);

const ids = Array.from({ length: N }, (_, i) => `burst-${i}`);
await new Promise((resolve) => setTimeout(resolve, 50));
const startedAt = performance.now();
let firstStatuses = 0;
const subscription = from(ids)
  .pipe(mergeTasks({ apiKey: 'bench-key', fetch: stubFetch(), interval: 60_000, maxConcurrentRequests: Infinity, maxRequestsPerSecond: Infinity }))
  .subscribe(() => {
    events.statuses.push(performance.now());
    if (++firstStatuses < N) return;
    const doneAt = performance.now();
    clearInterval(ticker);
    subscription.unsubscribe();
    setTimeout(() => report(startedAt, doneAt), 100); // the last collections' entries arrive late
  });

function report(startedAt, doneAt) {
  const longest = gaps
    .filter((gap) => gap.start >= startedAt - 1 && gap.end <= doneAt + 1)
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, SHOWN);
  for (const gap of longest) {
    const inside = collections.filter((c) => c.end > gap.start && c.start < gap.end);
    const collectedMs = inside.reduce((sum, c) => sum + Math.min(c.end, gap.end) - Math.max(c.start, gap.start), 0);
    const kinds = inside.map((c) => `${c.kind}:${(c.end - c.start).toFixed(1)}`).join(' ');
    const within = (times) => times.filter((t) => t >= gap.start && t <= gap.end).length;
    const counts = `reads ${within(events.reads)}, answers ${within(events.answers)}, statuses ${within(events.statuses)}`;
    console.log(`at ${(gap.start - startedAt).toFixed(0)} of ${(doneAt - startedAt).toFixed(0)} ms: block ${(gap.end - gap.start).toFixed(1)} ms: GC ${collectedMs.toFixed(1)} ms (${kinds}); ${counts}`);
  }
}
