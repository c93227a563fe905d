// Benchmark 2 — scale: many tasks watched at once by one `mergeTasks` in one process.
//
// Method
// - Contenders: camb-rx as built in dist/, and with BENCH_BASELINE=<git ref> (e.g. main) the same
//   workload on camb-rx built from that ref (bench/lib/baseline.mjs), in the same run, alternating.
// - Timing runs (1,000 and 10,000 tasks): `from(ids).pipe(mergeTasks({ fetch: stub, interval,
//   maxConcurrentRequests: Infinity, maxRequestsPerSecond: Infinity }))` with interval =
//   { initialMs: 2000, factor: 1, maxMs: 2000, jitter: 0.2 } (1.6–2 s); every task answers PENDING
//   2× then SUCCESS, so 3 polls per task. The stub is in process and answers after 5 ms (a
//   setTimeout: real async latency, no sockets). Measured: CPU per poll (process.cpuUsage() ÷ stub
//   calls), event-loop delay p50/p99/max (perf_hooks.monitorEventLoopDelay, 10 ms resolution, minus
//   that resolution), wall time until the merged stream completed, how long the synchronous
//   `subscribe()` call blocks, and CPU utilisation (CPU time ÷ wall time).
// - Heap runs (1,000, 10,000 and 100,000 tasks; separate, since a forced GC distorts the timing of
//   the work after it): the same workload with a 60 s interval, so that once every task has its
//   first status every task waits for its next read. gc() + heapUsed before subscribing and at that
//   plateau; the difference ÷ tasks = retained heap per watched task (--expose-gc). The marginal
//   heap per task between two sizes, (heap at the larger − heap at the smaller) ÷ (difference in
//   tasks), cancels fixed costs (code, caches) out.
// - Burst runs (100,000 ids handed over at once by from(ids), 60 s interval): how long subscribe()
//   blocks, the longest block of the event loop until every task has its first status
//   (monitorEventLoopDelay at 1 ms resolution; subscribe() is inside the window), and the time until
//   then; also the longest block counted in CPU time (the process's CPU time between two runs of a
//   1 ms interval: on a shared machine the wall-clock block also holds the time the process waited
//   for a core). BURST_ROUNDS rounds per contender, alternating. The floor is `from(ids)` into a
//   no-op operator: the synchronous loop of 100,000 `next` calls that no operator can cut short.
//   BENCH_BURST_ONLY=1 runs only the burst.
// - Every run has a hard deadline.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { Observable, from } from 'rxjs';
import { mergeTasks } from 'camb-rx';
import { loadBaseline } from './lib/baseline.mjs';
import { SMOKE, answerAfter, ensureFlags, fmt, range, sleep, summarize, table, writeResults } from './lib/common.mjs';

ensureFlags(['--expose-gc'], import.meta.url);

const TIMING_SIZES = SMOKE ? [50, 100] : [1000, 10_000];
const HEAP_SIZES = SMOKE ? [50, 100, 200] : [1000, 10_000, 100_000];
const BURST_SIZE = SMOKE ? 500 : 100_000;
const PENDING_READS = 2;
const POLLS = PENDING_READS + 1;
const INTERVAL_MS = SMOKE ? 50 : 2000;
const INTERVAL = { initialMs: INTERVAL_MS, factor: 1, maxMs: INTERVAL_MS, jitter: 0.2 };
const WAIT_INTERVAL_MS = 60_000;
const LATENCY_MS = 5;
const WARMUP = SMOKE ? 0 : 1;
const ROUNDS = SMOKE ? 1 : 3;
const HEAP_ROUNDS = SMOKE ? 1 : 2;
const BURST_ROUNDS = SMOKE ? 1 : 3;
const BURST_ONLY = process.env.BENCH_BURST_ONLY === '1';
const DEADLINE_MS = 180_000;
const TARGETS = { marginalHeapKiB: 2, burstBlockMs: 20, loopDelayP99Ms: 10 };

const baseline = await loadBaseline();
const contenders = [
  { name: 'camb-rx', mergeTasks },
  ...(baseline ? [{ name: `baseline ${baseline.ref} (${baseline.commit})`, mergeTasks: baseline.module.mergeTasks }] : []),
];

/** In-process stub: answers after LATENCY_MS, PENDING for PENDING_READS reads, then SUCCESS. */
function createStub(ids) {
  const reads = new Map(ids.map((id) => [id, 0])); // filled up front: not counted as library heap
  const stats = { calls: 0 };
  const fetch = (url, init) => {
    stats.calls++;
    const id = url.slice(url.lastIndexOf('/') + 1);
    const read = reads.get(id) + 1;
    reads.set(id, read);
    return answerAfter(LATENCY_MS, read > PENDING_READS ? { status: 'SUCCESS', run_id: read } : { status: 'PENDING' }, init.signal);
  };
  return { fetch, stats };
}

/**
 * One run: watches `size` tasks. `onFirstWave` is called once every task has emitted its first
 * status; when it returns true the run stops there (unsubscribes) and resolves. Otherwise it
 * resolves when every task is done, with { calls, successes, wallMs, subscribeMs }.
 */
function run(contender, size, tag, interval, onFirstWave) {
  const ids = Array.from({ length: size }, (_, i) => `s${size}-${tag}-${i}`);
  const stub = createStub(ids);
  const options = { apiKey: 'bench-key', fetch: stub.fetch, interval, minIntervalMs: 0, maxConcurrentRequests: Infinity, maxRequestsPerSecond: Infinity }; // minIntervalMs: the smoke run's 50 ms is below the 250 ms floor
  return {
    stub,
    start: () =>
      new Promise((resolve, reject) => {
        let firstReads = 0; // counted by poll number: a Set of 100,000 ids would rehash inside the measured window
        let successes = 0;
        let firstWave = false;
        const t0 = performance.now();
        let subscribeMs;
        let subscription;
        const finish = (result) => (clearTimeout(deadline), resolve(result));
        const deadline = setTimeout(() => {
          subscription?.unsubscribe();
          reject(new Error(`scale: ${contender.name}, ${size} tasks not done within ${DEADLINE_MS} ms`));
        }, DEADLINE_MS);
        subscription = from(ids)
          .pipe(contender.mergeTasks(options))
          .subscribe({
            next: (status) => {
              if (status.status === 'SUCCESS') successes++;
              if (!firstWave && status.poll === 1 && ++firstReads === size) {
                firstWave = true;
                if (onFirstWave?.(performance.now() - t0)) {
                  queueMicrotask(() => subscription.unsubscribe());
                  finish({ calls: stub.stats.calls, successes, wallMs: performance.now() - t0, subscribeMs });
                }
              }
            },
            error: (error) => (clearTimeout(deadline), reject(error)),
            complete: () => finish({ calls: stub.stats.calls, successes, wallMs: performance.now() - t0, subscribeMs }),
          });
        subscribeMs = performance.now() - t0;
      }),
  };
}

function check(contender, size, result) {
  if (result.successes !== size || result.calls !== size * POLLS) {
    throw new Error(`scale: ${contender.name}, ${size} tasks gave ${result.successes} successes in ${result.calls} calls (expected ${size * POLLS})`);
  }
}

/**
 * Node 20's histogram records the whole interval between its timer's runs (≈ the resolution when
 * the loop is idle), so the delay is that minus the resolution.
 */
const loopDelayMs = (ns, resolutionMs) => Math.max(0, ns / 1e6 - resolutionMs);

async function timingRun(contender, size, round) {
  const { start } = run(contender, size, `t${round}`, INTERVAL);
  await sleep(20); // no forced gc() before a timing run: it slowed the work right after it 2–4× (see overhead.mjs)
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const cpu0 = process.cpuUsage();
  const result = await start();
  const cpu = process.cpuUsage(cpu0);
  histogram.disable();
  check(contender, size, result);
  const cpuUs = cpu.user + cpu.system;
  return {
    cpuUsPerPoll: cpuUs / result.calls,
    cpuUtilisation: cpuUs / 1000 / result.wallMs,
    pollsPerSecond: result.calls / (result.wallMs / 1000),
    subscribeMs: result.subscribeMs,
    loopDelayP50Ms: loopDelayMs(histogram.percentile(50), 10),
    loopDelayP99Ms: loopDelayMs(histogram.percentile(99), 10),
    loopDelayMaxMs: loopDelayMs(histogram.max, 10),
    wallMs: result.wallMs,
  };
}

async function heapRun(contender, size, round) {
  let heapAtPlateau;
  const { start } = run(contender, size, `h${round}`, WAIT_INTERVAL_MS, () => {
    globalThis.gc();
    heapAtPlateau = v8.getHeapStatistics().used_heap_size;
    return true;
  });
  globalThis.gc();
  const heap0 = v8.getHeapStatistics().used_heap_size;
  await start();
  await sleep(50); // let the teardown's aborted requests settle before the next run
  return { heapBytes: heapAtPlateau - heap0, heapBytesPerTask: (heapAtPlateau - heap0) / size };
}

/** The process's CPU time in ms (every thread: the collector's helpers count too). */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** The most CPU time spent between two runs of a 1 ms interval, from `start()` to `stop()`. */
function cpuBlockMeter() {
  let last = cpuMs();
  let longest = 0;
  const tick = setInterval(() => {
    const now = cpuMs();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  return { stop: () => (clearInterval(tick), longest) };
}

async function burstRun(contender) {
  let firstWaveMs;
  // The ids and the stub's table of 100,000 entries are made before measuring: making them is one
  // long synchronous block of the harness's own.
  const setup0 = performance.now();
  const { start } = run(contender, BURST_SIZE, 'burst', WAIT_INTERVAL_MS, (ms) => ((firstWaveMs = ms), true));
  const harnessSetupMs = performance.now() - setup0;
  globalThis.gc();
  await sleep(50);
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await sleep(20);
  const cpuBlocks = cpuBlockMeter();
  const result = await start();
  const longestCpuBlockMs = cpuBlocks.stop();
  histogram.disable();
  await sleep(50);
  return {
    subscribeMs: result.subscribeMs,
    longestBlockMs: Math.max(result.subscribeMs, loopDelayMs(histogram.max, 1)),
    longestCpuBlockMs,
    loopDelayP99Ms: loopDelayMs(histogram.percentile(99), 1),
    firstWaveMs,
    harnessSetupMs,
  };
}

/** The floor: `from(ids)` into an operator that does nothing with them; subscribe() is the whole block. */
async function floorRun(round) {
  const ids = Array.from({ length: BURST_SIZE }, (_, i) => `floor-${round}-${i}`);
  const noop = (input) => new Observable((subscriber) => input.subscribe({ complete: () => subscriber.complete() }));
  globalThis.gc();
  await sleep(50);
  const cpu0 = cpuMs();
  const t0 = performance.now();
  from(ids).pipe(noop).subscribe();
  const subscribeMs = performance.now() - t0;
  return { subscribeMs, longestBlockMs: subscribeMs, longestCpuBlockMs: cpuMs() - cpu0 };
}

const samples = Object.fromEntries(contenders.map((c) => [c.name, { timing: Object.fromEntries(TIMING_SIZES.map((s) => [s, []])), heap: Object.fromEntries(HEAP_SIZES.map((s) => [s, []])) }]));
for (let r = 0; r < (BURST_ONLY ? 0 : WARMUP + ROUNDS); r++) {
  for (const contender of r % 2 ? [...contenders].reverse() : contenders) {
    for (const size of r % 2 ? [...TIMING_SIZES].reverse() : TIMING_SIZES) {
      const sample = await timingRun(contender, size, r);
      if (r >= WARMUP) samples[contender.name].timing[size].push(sample);
    }
  }
}
for (let r = 0; r < (BURST_ONLY ? 0 : HEAP_ROUNDS); r++) {
  for (const contender of contenders) for (const size of HEAP_SIZES) samples[contender.name].heap[size].push(await heapRun(contender, size, r));
}
if (BURST_ONLY) for (const contender of contenders) await run(contender, 5000, 'warm', WAIT_INTERVAL_MS, () => true).start(); // warm as the timing runs would
const FLOOR = 'floor: from(ids) into a no-op operator';
const burstSamples = Object.fromEntries([FLOOR, ...contenders.map((c) => c.name)].map((name) => [name, []]));
for (let r = 0; r < BURST_ROUNDS; r++) {
  burstSamples[FLOOR].push(await floorRun(r));
  for (const contender of r % 2 ? [...contenders].reverse() : contenders) burstSamples[contender.name].push(await burstRun(contender));
}
const burstOf = (list) => Object.fromEntries(Object.keys(list[0]).map((key) => [key, summarize(list.map((b) => b[key])).median]));
const bursts = Object.fromEntries(Object.entries(burstSamples).map(([name, list]) => [name, burstOf(list)]));
const burstRanges = Object.fromEntries(Object.entries(burstSamples).map(([name, list]) => [name, Object.fromEntries(Object.keys(list[0]).map((key) => [key, summarize(list.map((b) => b[key]))]))]));

const metric = (list, key) => summarize(list.map((s) => s[key]));
const n = (size) => size.toLocaleString('en-US');
const results = {};
for (const { name } of contenders) {
  if (BURST_ONLY) {
    results[name] = { burst: bursts[name] };
    continue;
  }
  const timing = Object.fromEntries(
    TIMING_SIZES.map((size) => {
      const list = samples[name].timing[size];
      const keys = ['cpuUsPerPoll', 'cpuUtilisation', 'pollsPerSecond', 'subscribeMs', 'loopDelayP50Ms', 'loopDelayP99Ms', 'loopDelayMaxMs', 'wallMs'];
      return [size, Object.fromEntries(keys.map((key) => [key, metric(list, key)]))];
    }),
  );
  const heap = Object.fromEntries(HEAP_SIZES.map((size) => [size, { heapBytes: metric(samples[name].heap[size], 'heapBytes'), heapBytesPerTask: metric(samples[name].heap[size], 'heapBytesPerTask') }]));
  const marginalHeapBytesPerTask = Object.fromEntries(
    HEAP_SIZES.slice(1).map((large, i) => {
      const small = HEAP_SIZES[i];
      return [`${small}→${large}`, (heap[large].heapBytes.median - heap[small].heapBytes.median) / (large - small)];
    }),
  );
  results[name] = { timing, heap, marginalHeapBytesPerTask, burst: bursts[name] };
}

console.log(`\n## Scale — mergeTasks, stub latency ${LATENCY_MS} ms${baseline ? `; baseline = camb-rx at ${baseline.ref} (${baseline.commit})` : ''}`);
console.log('median (min–max) over rounds\n');
if (!BURST_ONLY) {
  console.log(`### Timing: ${POLLS} polls per task, interval ${INTERVAL_MS * 0.8}–${INTERVAL_MS} ms, ${WARMUP} warm-up + ${ROUNDS} rounds\n`);
  const timingRows = [
    ['CPU per poll (µs)', 'cpuUsPerPoll', 1],
    ['CPU utilisation (CPU time ÷ wall)', 'cpuUtilisation', 2],
    ['polls per second achieved', 'pollsPerSecond', 0],
    ['subscribe() blocks the loop (ms)', 'subscribeMs', 0],
    ['event-loop delay p50 (ms)', 'loopDelayP50Ms', 1],
    ['event-loop delay p99 (ms)', 'loopDelayP99Ms', 1],
    ['event-loop delay max (ms)', 'loopDelayMaxMs', 1],
    ['wall time, all tasks done (ms)', 'wallMs', 0],
  ];
  const columns = contenders.flatMap(({ name }) => TIMING_SIZES.map((size) => [name, size]));
  console.log(
    table(
      ['metric', ...columns.map(([name, size]) => `${name}, ${n(size)} tasks`)],
      timingRows.map(([label, key, digits]) => [label, ...columns.map(([name, size]) => range(results[name].timing[size][key], digits))]),
    ),
  );
  console.log(`\n### Heap: tasks waiting for their next read (interval ${WAIT_INTERVAL_MS / 1000} s), ${HEAP_ROUNDS} rounds\n`);
  const heapColumns = HEAP_SIZES.map((size) => `${n(size)} tasks`);
  const marginalColumns = Object.keys(results['camb-rx'].marginalHeapBytesPerTask);
  console.log(
    table(
      ['contender', ...heapColumns.map((c) => `KiB per task, ${c}`), ...marginalColumns.map((c) => `marginal KiB per task ${c}`)],
      contenders.map(({ name }) => [
        name,
        ...HEAP_SIZES.map((size) => range({ median: results[name].heap[size].heapBytesPerTask.median / 1024, min: results[name].heap[size].heapBytesPerTask.min / 1024, max: results[name].heap[size].heapBytesPerTask.max / 1024 }, 2)),
        ...marginalColumns.map((key) => fmt(results[name].marginalHeapBytesPerTask[key] / 1024, 2)),
      ]),
    ),
  );
}
console.log(`\n### Burst: ${n(BURST_SIZE)} ids handed over at once, until every task has its first status (${BURST_ROUNDS} rounds)\n`);
console.log(
  table(
    ['contender', 'subscribe() (ms)', 'longest loop block (ms)', 'longest block in CPU time (ms)', 'loop delay p99 (ms)', 'every task read once after (ms)', 'harness set-up, not measured (ms)'],
    Object.entries(burstRanges).map(([name, b]) => [
      name,
      range(b.subscribeMs, 0),
      range(b.longestBlockMs, 1),
      range(b.longestCpuBlockMs, 1),
      b.loopDelayP99Ms ? range(b.loopDelayP99Ms, 1) : '–',
      b.firstWaveMs ? range(b.firstWaveMs, 0) : '–',
      b.harnessSetupMs ? range(b.harnessSetupMs, 0) : '–',
    ]),
  ),
);
const mine = results['camb-rx'];
const largeTiming = TIMING_SIZES.at(-1);
const targets = {
  ...(BURST_ONLY
    ? {}
    : {
        marginalHeap: Object.fromEntries(
          Object.keys(mine.marginalHeapBytesPerTask).map((key) => [key, { kib: mine.marginalHeapBytesPerTask[key] / 1024, met: mine.marginalHeapBytesPerTask[key] / 1024 <= TARGETS.marginalHeapKiB }]),
        ),
        loopDelayP99: { ms: mine.timing[largeTiming].loopDelayP99Ms.median, met: mine.timing[largeTiming].loopDelayP99Ms.median <= TARGETS.loopDelayP99Ms },
      }),
  burstBlock: { ms: mine.burst.longestBlockMs, met: mine.burst.longestBlockMs <= TARGETS.burstBlockMs },
};
console.log('');
for (const [key, t] of Object.entries(targets.marginalHeap ?? {})) console.log(`target marginal heap ≤ ${TARGETS.marginalHeapKiB} KiB per task (${key}): ${fmt(t.kib, 2)} KiB → ${t.met ? 'MET' : 'NOT MET'}`);
console.log(`target longest block while ${n(BURST_SIZE)} ids arrive ≤ ${TARGETS.burstBlockMs} ms: ${fmt(targets.burstBlock.ms, 1)} ms → ${targets.burstBlock.met ? 'MET' : 'NOT MET'}`);
if (targets.loopDelayP99) console.log(`target event-loop delay p99 ≤ ${TARGETS.loopDelayP99Ms} ms at ${n(largeTiming)} tasks: ${fmt(targets.loopDelayP99.ms, 1)} ms → ${targets.loopDelayP99.met ? 'MET' : 'NOT MET'}`);
writeResults(BURST_ONLY ? 'scale-burst' : 'scale', {
  method: {
    timingSizes: TIMING_SIZES,
    heapSizes: HEAP_SIZES,
    burstSize: BURST_SIZE,
    burstRounds: BURST_ROUNDS,
    burstOnly: BURST_ONLY,
    pollsPerTask: POLLS,
    interval: INTERVAL,
    waitIntervalMs: WAIT_INTERVAL_MS,
    stubLatencyMs: LATENCY_MS,
    warmupRounds: WARMUP,
    rounds: ROUNDS,
    heapRounds: HEAP_ROUNDS,
    baseline: baseline ? { ref: baseline.ref, commit: baseline.commit } : null,
  },
  results,
  burstFloor: bursts[FLOOR],
  targets,
});
