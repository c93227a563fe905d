// Benchmark — soak: 100,000 tasks watched in real time by one `mergeTasks` against an in-process
// stub for about 5 minutes. Run it once: `npm run bench:soak` (BENCH_SMOKE=1: 1,000 tasks, seconds).
//
// Method
// - 100,000 ids handed over at once (from(ids)). Each task has a seeded random duration, uniform in
//   10 s – 4.5 min; the stub answers after 5 ms (a setTimeout) with PENDING until the task's
//   duration has passed since its first read, then SUCCESS with a run id. 1% of the tasks end in
//   ERROR (terminal data) and 0.5% are unknown (404: a failure told to `onTaskError`).
// - camb-rx's default cadence and options, with the budget opened (maxConcurrentRequests and
//   maxRequestsPerSecond Infinity): the stub is in process, the point is the engine.
// - Every second: RSS (process.memoryUsage().rss) and heapUsed. At the end: every task must have
//   reached its outcome (a terminal status or a failure) exactly once, with nothing emitted for it
//   afterwards; the stream must complete; RSS must stay within 512 MB.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { from } from 'rxjs';
import { mergeTasks } from 'camb-rx';
import { SMOKE, fmt, mulberry32, table, writeResults } from './lib/common.mjs';

const TASKS = SMOKE ? 1000 : 100_000;
const MIN_DURATION_MS = SMOKE ? 200 : 10_000;
const MAX_DURATION_MS = SMOKE ? 2000 : 270_000;
const LATENCY_MS = 5;
const DEADLINE_MS = SMOKE ? 60_000 : 8 * 60_000;
const RSS_LIMIT_MB = 512;
const SEED = 42;

const random = mulberry32(SEED);
const ids = Array.from({ length: TASKS }, (_, i) => `soak-${i}`);
/** Per task: its duration, how it ends, when it was first read, and what the stream said. */
const plan = new Map(
  ids.map((id) => {
    const draw = random();
    const fate = draw < 0.005 ? 'unknown' : draw < 0.015 ? 'error' : 'success';
    return [id, { durationMs: MIN_DURATION_MS + random() * (MAX_DURATION_MS - MIN_DURATION_MS), fate, firstReadAt: 0, outcomes: 0, afterOutcome: 0 }];
  }),
);

let requests = 0;
const fetch = (url, init) =>
  new Promise((resolve, reject) => {
    requests++;
    const task = plan.get(url.slice(url.lastIndexOf('/') + 1));
    const now = performance.now();
    if (task.firstReadAt === 0) task.firstReadAt = now;
    const finished = now - task.firstReadAt >= task.durationMs;
    const answer =
      task.fate === 'unknown'
        ? new Response('{"detail":"Task not found"}', { status: 404, headers: { 'content-type': 'application/json' } })
        : Response.json(finished ? (task.fate === 'error' ? { status: 'ERROR', exception_reason: 'SOAK' } : { status: 'SUCCESS', run_id: 1 }) : { status: 'PENDING' });
    const onAbort = () => (clearTimeout(timer), reject(init.signal.reason));
    const timer = setTimeout(() => (init.signal.removeEventListener('abort', onAbort), resolve(answer)), LATENCY_MS);
    init.signal.addEventListener('abort', onAbort, { once: true });
  });

const options = {
  apiKey: 'bench-key',
  fetch,
  maxConcurrentRequests: Infinity,
  maxRequestsPerSecond: Infinity,
  ...(SMOKE && { interval: 100 }),
  onTaskError: ({ taskId }) => record(taskId, true),
};

function record(taskId, isOutcome) {
  const task = plan.get(taskId);
  if (task.outcomes > 0) task.afterOutcome++;
  if (isOutcome) task.outcomes++;
}

const samples = [];
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const t0 = performance.now();
const sample = () => {
  const { rss, heapUsed } = process.memoryUsage();
  samples.push({ atS: (performance.now() - t0) / 1000, rssMB: rss / 2 ** 20, heapMB: heapUsed / 2 ** 20 });
};
const sampler = setInterval(sample, 1000);
sample();

const completed = await new Promise((resolve, reject) => {
  let subscription;
  const deadline = setTimeout(() => {
    subscription.unsubscribe();
    resolve(false);
  }, DEADLINE_MS);
  subscription = from(ids)
    .pipe(mergeTasks(options))
    .subscribe({
      next: (status) => record(status.taskId, status.done),
      error: (error) => (clearTimeout(deadline), reject(error)),
      complete: () => (clearTimeout(deadline), resolve(true)),
    });
});
const wallS = (performance.now() - t0) / 1000;
clearInterval(sampler);
sample();
histogram.disable();

const tasks = [...plan.values()];
const exactlyOnce = tasks.filter((t) => t.outcomes === 1 && t.afterOutcome === 0).length;
const maxRssMB = Math.max(...samples.map((s) => s.rssMB));
const maxHeapMB = Math.max(...samples.map((s) => s.heapMB));
const result = {
  tasks: TASKS,
  completed,
  wallS,
  requests,
  exactlyOnce,
  noOutcome: tasks.filter((t) => t.outcomes === 0).length,
  moreThanOnce: tasks.filter((t) => t.outcomes > 1 || t.afterOutcome > 0).length,
  maxRssMB,
  maxHeapMB,
  loopDelayP99Ms: Math.max(0, histogram.percentile(99) / 1e6 - 10),
  loopDelayMaxMs: Math.max(0, histogram.max / 1e6 - 10),
  rssEveryMinute: samples.filter((_, i) => i % 60 === 0).map((s) => ({ atS: Math.round(s.atS), rssMB: Math.round(s.rssMB), heapMB: Math.round(s.heapMB) })),
};
const met = completed && exactlyOnce === TASKS && maxRssMB <= RSS_LIMIT_MB;

console.log(`\n## Soak — ${TASKS.toLocaleString('en-US')} tasks in real time, one mergeTasks, stub latency ${LATENCY_MS} ms, durations ${MIN_DURATION_MS / 1000}–${MAX_DURATION_MS / 1000} s (seed ${SEED})\n`);
console.log(
  table(
    ['metric', 'value'],
    [
      ['stream completed', String(completed)],
      ['wall time (s)', fmt(wallS, 0)],
      ['requests', fmt(requests, 0)],
      ['tasks with exactly one outcome, nothing after it', `${fmt(exactlyOnce, 0)} of ${fmt(TASKS, 0)}`],
      ['tasks without an outcome / with more than one', `${result.noOutcome} / ${result.moreThanOnce}`],
      ['max RSS (MB)', fmt(maxRssMB, 0)],
      ['max heap used (MB)', fmt(maxHeapMB, 0)],
      ['event-loop delay p99 / max (ms)', `${fmt(result.loopDelayP99Ms, 1)} / ${fmt(result.loopDelayMaxMs, 1)}`],
    ],
  ),
);
console.log(`RSS / heap (MB) each minute: ${result.rssEveryMinute.map((s) => `${s.atS} s: ${s.rssMB} / ${s.heapMB}`).join(', ')}`);
console.log(`target: every task reaches its outcome exactly once, RSS ≤ ${RSS_LIMIT_MB} MB → ${met ? 'MET' : 'NOT MET'}`);
writeResults('soak', { method: { tasks: TASKS, minDurationMs: MIN_DURATION_MS, maxDurationMs: MAX_DURATION_MS, latencyMs: LATENCY_MS, seed: SEED }, result, target: { rssLimitMB: RSS_LIMIT_MB, met } });
if (!met) process.exitCode = 1;
