// Benchmark — the CPU cost of learning: 10,000 tasks in one `mergeTasks` sharing one adaptive
// cadence, side by side with the same run without it.
//
// Method
// - Workload as in bench/scale.mjs: `from(ids).pipe(mergeTasks({ fetch: stub, interval, … }))`,
//   every task answers PENDING 2× then SUCCESS after 5 ms (an in-process setTimeout stub), and
//   reads are 2 s apart, so both variants send the same requests at the same times.
// - baseline: `interval: 2000`. learning: `interval` is a cadence that waits the same 2 s but hands
//   every age to one shared `adaptiveCadence()` (its `nextDelayMs` runs, result unused) and lets the
//   stream report every task to it (`track`: every pending read, then the end: 10,000
//   interval-censored observations, a re-plan every 32, each folding in the tasks still running). So the difference is all the cadence's work: reporting, learning, re-planning.
// - Rounds alternate baseline / learning (order swapped every round), 1 warm-up pair discarded.
//   CPU = process.cpuUsage() (user + system) over the run. Overhead = learning ÷ baseline − 1,
//   per round pair, median over pairs. Target (issue 10): ≤ 5%.
// - Also the cadence alone: the same ages and observations handed straight to one cadence, no
//   streams (its own work, without the reporting operator), median over as many runs.
import { from } from 'rxjs';
import { adaptiveCadence, mergeTasks } from 'camb-rx';
import { SMOKE, fmt, range, summarize, table, writeResults } from './lib/common.mjs';

const TASKS = SMOKE ? 200 : 10_000;
const PENDING_READS = 2;
const INTERVAL_MS = SMOKE ? 50 : 2000;
const LATENCY_MS = 5;
const WARMUP = SMOKE ? 0 : 1;
const ROUNDS = SMOKE ? 1 : 9;

function stubFetch() {
  const reads = new Map();
  return (url, init) =>
    new Promise((resolve, reject) => {
      const id = url.slice(url.lastIndexOf('/') + 1);
      const read = (reads.get(id) ?? 0) + 1;
      reads.set(id, read);
      const body = read > PENDING_READS ? { status: 'SUCCESS', run_id: read } : { status: 'PENDING' };
      const onAbort = () => (clearTimeout(timer), reject(init.signal.reason));
      const timer = setTimeout(() => (init.signal.removeEventListener('abort', onAbort), resolve(Response.json(body))), LATENCY_MS);
      init.signal.addEventListener('abort', onAbort, { once: true });
    });
}

/** One run of every task; resolves with its CPU time in ms and what the cadence learned. */
function run(round, learning) {
  const cadence = adaptiveCadence();
  const interval = learning ? { nextDelayMs: (ageMs) => (cadence.nextDelayMs(ageMs), INTERVAL_MS), observe: (o) => cadence.observe(o), track: () => cadence.track() } : INTERVAL_MS;
  const ids = Array.from({ length: TASKS }, (_, i) => `r${round}-${learning ? 'l' : 'b'}-${i}`);
  const options = { apiKey: 'bench-key', fetch: stubFetch(), interval, maxConcurrentRequests: Infinity, maxRequestsPerSecond: Infinity };
  return new Promise((resolve, reject) => {
    const cpu0 = process.cpuUsage();
    let successes = 0;
    from(ids)
      .pipe(mergeTasks(options))
      .subscribe({
        next: (s) => void (s.status === 'SUCCESS' && successes++),
        error: reject,
        complete: () => {
          const cpu = process.cpuUsage(cpu0);
          if (successes !== TASKS) reject(new Error(`cadence-cost: ${successes} of ${TASKS} done`));
          resolve({ cpuMs: (cpu.user + cpu.system) / 1000, observed: cadence.observed });
        },
      });
  });
}

const pairs = [];
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  const order = round % 2 === 0 ? [false, true] : [true, false];
  const pair = {};
  for (const learning of order) pair[learning ? 'learning' : 'baseline'] = await run(round, learning);
  if (pair.learning.observed !== (SMOKE ? TASKS : TASKS)) throw new Error(`cadence-cost: the cadence learned from ${pair.learning.observed} tasks`);
  if (round >= WARMUP) pairs.push(pair);
}
/** The cadence alone, without streams: the same ages and observations, straight into it; CPU ms per run. */
function alone() {
  const cadence = adaptiveCadence();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < TASKS; i++) {
    const task = cadence.track();
    task.pending(0);
    cadence.nextDelayMs(0);
    task.pending(INTERVAL_MS + LATENCY_MS);
    cadence.nextDelayMs(INTERVAL_MS + LATENCY_MS);
    task.end();
    cadence.observe({ runningAtMs: INTERVAL_MS + LATENCY_MS, finishedByMs: 2 * (INTERVAL_MS + LATENCY_MS) });
  }
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000;
}
const aloneMs = summarize(Array.from({ length: WARMUP + ROUNDS }, alone).slice(WARMUP));

const baseline = summarize(pairs.map((p) => p.baseline.cpuMs));
const learning = summarize(pairs.map((p) => p.learning.cpuMs));
const overhead = summarize(pairs.map((p) => (p.learning.cpuMs / p.baseline.cpuMs - 1) * 100));
console.log(`\n## Cadence cost — ${TASKS.toLocaleString('en-US')} tasks in one mergeTasks, ${PENDING_READS + 1} reads each, ${ROUNDS} rounds (+${WARMUP} warm-up)`);
console.log('median (min–max) over rounds\n');
console.log(
  table(
    ['variant', 'CPU ms per run', 'CPU µs per task'],
    [
      ['baseline (interval: 2000)', range(baseline, 0), fmt(baseline.median * (1000 / TASKS), 1)],
      ['sharing one adaptiveCadence', range(learning, 0), fmt(learning.median * (1000 / TASKS), 1)],
    ],
  ),
);
console.log(`\nlearning overhead: ${range(overhead, 1)} % CPU — target ≤ 5%: ${overhead.median <= 5 ? 'MET' : 'NOT MET'}`);
console.log(`the cadence alone (the same ages and observations, no streams): ${range(aloneMs, 1)} ms CPU per run, ${fmt((aloneMs.median / baseline.median) * 100, 1)} % of the baseline`);
writeResults('cadence-cost', { method: { tasks: TASKS, readsPerTask: PENDING_READS + 1, intervalMs: INTERVAL_MS, stubLatencyMs: LATENCY_MS, rounds: ROUNDS, warmup: WARMUP }, results: { baseline, learning, overheadPercent: overhead, cadenceAloneMs: aloneMs } });
