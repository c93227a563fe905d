// Benchmark 2 — scale: 1,000 and 10,000 tasks watched at once by one `mergeTasks` in one process.
//
// Method
// - Workload: `from(ids).pipe(mergeTasks({ fetch: stub, interval, maxConcurrentRequests: Infinity,
//   maxRequestsPerSecond: Infinity }))` with interval = { initialMs: 2000, factor: 1, maxMs: 2000,
//   jitter: 0.2 } (1.6–2 s: CAMB's suggested starting cadence with camb-rx's default jitter); every
//   task answers PENDING 2× then SUCCESS, so 3 polls per task. At 10,000 tasks that asks for about
//   5,500 polls/s, close to what one core can do. The stub is in process and answers after 5 ms
//   (a setTimeout: real async latency, no sockets).
// - Timing runs (warm-up discarded, then several rounds, sizes alternating): CPU per poll
//   (process.cpuUsage() ÷ stub calls), event-loop delay p50/p99/max
//   (perf_hooks.monitorEventLoopDelay, 10 ms resolution, minus that resolution), wall time from
//   subscribe until every task has reached SUCCESS and the merged stream completed, how long the
//   synchronous `subscribe()` call blocks (from(ids) hands every id over at once, so every first
//   request is prepared inside it; the delay histogram cannot see this first block, its timer has
//   not ticked yet), and CPU utilisation (CPU time ÷ wall time).
// - Heap runs (separate: a forced GC distorts the timing of the work after it): gc() + heapUsed before
//   subscribing, and again once every task has its first status (all tasks then wait in their
//   interval timer); the difference ÷ tasks = retained heap per watched task (--expose-gc). Also the
//   marginal heap per task, (heap at the large size − heap at the small size) ÷ (difference in
//   tasks), which cancels fixed costs (code, caches) out.
// - Every run has a hard deadline.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { from } from 'rxjs';
import { mergeTasks } from 'camb-rx';
import { SMOKE, ensureFlags, fmt, range, sleep, summarize, table, writeResults } from './lib/common.mjs';

ensureFlags(['--expose-gc'], import.meta.url);

const SIZES = SMOKE ? [50, 100] : [1000, 10_000];
const PENDING_READS = 2;
const POLLS = PENDING_READS + 1;
const INTERVAL_MS = SMOKE ? 50 : 2000;
const INTERVAL = { initialMs: INTERVAL_MS, factor: 1, maxMs: INTERVAL_MS, jitter: 0.2 };
const LATENCY_MS = 5;
const WARMUP = SMOKE ? 0 : 1;
const ROUNDS = SMOKE ? 1 : 4;
const HEAP_ROUNDS = SMOKE ? 1 : 3;
const DEADLINE_MS = 120_000;

/** In-process stub: answers after LATENCY_MS, PENDING for PENDING_READS reads, then SUCCESS. */
function createStub(ids) {
  const reads = new Map(ids.map((id) => [id, 0])); // filled up front: not counted as library heap
  const stats = { calls: 0 };
  const fetch = (url, init) =>
    new Promise((resolve, reject) => {
      stats.calls++;
      const id = url.slice(url.lastIndexOf('/') + 1);
      const read = reads.get(id) + 1;
      reads.set(id, read);
      const body = read > PENDING_READS ? { status: 'SUCCESS', run_id: read } : { status: 'PENDING' };
      const onAbort = () => (clearTimeout(timer), reject(init.signal.reason));
      const timer = setTimeout(() => (init.signal.removeEventListener('abort', onAbort), resolve(Response.json(body))), LATENCY_MS);
      init.signal.addEventListener('abort', onAbort, { once: true });
    });
  return { fetch, stats };
}

/**
 * One run: watches `size` tasks until all are done. `onFirstWave` is called (awaited) once every
 * task has emitted its first status. Resolves with { calls, successes, wallMs, subscribeMs }.
 */
function run(size, round, onFirstWave) {
  const ids = Array.from({ length: size }, (_, i) => `s${size}-r${round}-${i}`);
  const stub = createStub(ids);
  const options = {
    apiKey: 'bench-key',
    fetch: stub.fetch,
    interval: INTERVAL,
    minIntervalMs: 0, // the smoke run's 50 ms interval is below the 250 ms floor
    maxConcurrentRequests: Infinity,
    maxRequestsPerSecond: Infinity,
  };
  return {
    stub,
    start: () =>
      new Promise((resolve, reject) => {
        const seen = new Set();
        let successes = 0;
        let firstWave = false;
        const t0 = performance.now();
        let subscribeMs;
        const subscription = from(ids)
          .pipe(mergeTasks(options))
          .subscribe({
            next: (status) => {
              if (status.status === 'SUCCESS') successes++;
              if (!firstWave && seen.add(status.taskId).size === size) {
                firstWave = true;
                onFirstWave?.();
              }
            },
            error: (error) => (clearTimeout(deadline), reject(error)),
            complete: () => {
              clearTimeout(deadline);
              resolve({ calls: stub.stats.calls, successes, wallMs: performance.now() - t0, subscribeMs });
            },
          });
        subscribeMs = performance.now() - t0;
        const deadline = setTimeout(() => {
          subscription.unsubscribe();
          reject(new Error(`scale: ${size} tasks not done within ${DEADLINE_MS} ms`));
        }, DEADLINE_MS);
      }),
  };
}

function check(size, result) {
  if (result.successes !== size || result.calls !== size * POLLS) {
    throw new Error(`scale: ${size} tasks gave ${result.successes} successes in ${result.calls} calls (expected ${size * POLLS})`);
  }
}

/**
 * Node 20's histogram records the whole interval between its timer's runs (≈ the resolution when
 * the loop is idle), so the delay is that minus the resolution.
 */
const LOOP_RESOLUTION_MS = 10;
const loopDelayMs = (ns) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);

async function timingRun(size, round) {
  const { start } = run(size, round);
  await sleep(20); // no forced gc() before a timing run: it slowed the work right after it 2–4× (see overhead.mjs)
  const histogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  histogram.enable();
  const cpu0 = process.cpuUsage();
  const result = await start();
  const cpu = process.cpuUsage(cpu0);
  histogram.disable();
  check(size, result);
  const cpuUs = cpu.user + cpu.system;
  return {
    cpuUsPerPoll: cpuUs / result.calls,
    cpuUtilisation: cpuUs / 1000 / result.wallMs,
    pollsPerSecond: result.calls / (result.wallMs / 1000),
    subscribeMs: result.subscribeMs,
    loopDelayP50Ms: loopDelayMs(histogram.percentile(50)),
    loopDelayP99Ms: loopDelayMs(histogram.percentile(99)),
    loopDelayMaxMs: loopDelayMs(histogram.max),
    wallMs: result.wallMs,
  };
}

async function heapRun(size, round) {
  let heapAtPlateau;
  const { start } = run(size, `h${round}`, () => {
    globalThis.gc();
    heapAtPlateau = v8.getHeapStatistics().used_heap_size;
  });
  globalThis.gc();
  const heap0 = v8.getHeapStatistics().used_heap_size;
  const result = await start();
  check(size, result);
  return { heapBytes: heapAtPlateau - heap0, heapBytesPerTask: (heapAtPlateau - heap0) / size };
}

const samples = Object.fromEntries(SIZES.map((s) => [s, { timing: [], heap: [] }]));
for (let r = 0; r < WARMUP + ROUNDS; r++) {
  for (const size of r % 2 ? [...SIZES].reverse() : SIZES) {
    const sample = await timingRun(size, r);
    if (r >= WARMUP) samples[size].timing.push(sample);
  }
}
for (let r = 0; r < HEAP_ROUNDS; r++) for (const size of SIZES) samples[size].heap.push(await heapRun(size, r));

const results = Object.fromEntries(
  SIZES.map((size) => {
    const { timing, heap } = samples[size];
    const metric = (list, key) => summarize(list.map((s) => s[key]));
    return [
      size,
      {
        heapBytes: metric(heap, 'heapBytes'),
        heapBytesPerTask: metric(heap, 'heapBytesPerTask'),
        cpuUsPerPoll: metric(timing, 'cpuUsPerPoll'),
        cpuUtilisation: metric(timing, 'cpuUtilisation'),
        pollsPerSecond: metric(timing, 'pollsPerSecond'),
        subscribeMs: metric(timing, 'subscribeMs'),
        loopDelayP50Ms: metric(timing, 'loopDelayP50Ms'),
        loopDelayP99Ms: metric(timing, 'loopDelayP99Ms'),
        loopDelayMaxMs: metric(timing, 'loopDelayMaxMs'),
        wallMs: metric(timing, 'wallMs'),
      },
    ];
  }),
);
const [small, large] = SIZES;
const growth = Object.fromEntries(Object.keys(results[small]).map((key) => [key, results[large][key].median / results[small][key].median]));
const marginalHeapBytesPerTask = (results[large].heapBytes.median - results[small].heapBytes.median) / (large - small);

console.log(`\n## Scale — mergeTasks, ${POLLS} polls per task, interval ${INTERVAL_MS * 0.8}–${INTERVAL_MS} ms, stub latency ${LATENCY_MS} ms, ${WARMUP} warm-up + ${ROUNDS} timing rounds, ${HEAP_ROUNDS} heap rounds`);
console.log('median (min–max) over rounds; growth = median at the larger size ÷ median at the smaller\n');
const rows = [
  ['heap per watched task (KiB)', (r) => range({ median: r.median / 1024, min: r.min / 1024, max: r.max / 1024 }, 2), 'heapBytesPerTask'],
  ['CPU per poll (µs)', (r) => range(r, 1), 'cpuUsPerPoll'],
  ['CPU utilisation (CPU time ÷ wall)', (r) => range(r, 2), 'cpuUtilisation'],
  ['polls per second achieved', (r) => range(r, 0), 'pollsPerSecond'],
  ['subscribe() blocks the loop (ms)', (r) => range(r, 0), 'subscribeMs'],
  ['event-loop delay p50 (ms)', (r) => range(r, 1), 'loopDelayP50Ms'],
  ['event-loop delay p99 (ms)', (r) => range(r, 1), 'loopDelayP99Ms'],
  ['event-loop delay max (ms)', (r) => range(r, 1), 'loopDelayMaxMs'],
  ['wall time, all tasks done (ms)', (r) => range(r, 0), 'wallMs'],
];
console.log(
  table(
    ['metric', `${small.toLocaleString('en-US')} tasks`, `${large.toLocaleString('en-US')} tasks`, `growth ${large / small}× tasks`],
    rows.map(([label, show, key]) => [
      label,
      show(results[small][key]),
      show(results[large][key]),
      key.startsWith('loopDelay') && results[small][key].median < 0.5 ? 'from ~0' : `${fmt(growth[key], 2)}×`,
    ]),
  ),
);
console.log(`marginal heap per added task (${small}→${large}): ${fmt(marginalHeapBytesPerTask / 1024, 2)} KiB`);
console.log(`floor for wall time: ${PENDING_READS} intervals + ${POLLS} × latency ≈ ${PENDING_READS * INTERVAL_MS * 0.8 + POLLS * LATENCY_MS}–${PENDING_READS * INTERVAL_MS + POLLS * LATENCY_MS} ms`);
writeResults('scale', {
  method: { sizes: SIZES, pollsPerTask: POLLS, interval: INTERVAL, stubLatencyMs: LATENCY_MS, warmupRounds: WARMUP, rounds: ROUNDS, heapRounds: HEAP_ROUNDS },
  results,
  growth,
  marginalHeapBytesPerTask,
});
