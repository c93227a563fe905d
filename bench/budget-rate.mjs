// Benchmark — the shared budget over real sockets: 10,000 tasks in one `mergeTasks` of a client
// whose budget allows 500 requests per second, against the CAMB simulator (camb-rx/testing) in a
// child process. Run it once: `npm run bench:budget-rate` (about 1 min; BENCH_SMOKE=1: seconds).
// With BENCH_BASELINE=<git ref> (e.g. main), camb-rx built from that ref runs the same workload
// first, in the same run (bench/lib/baseline.mjs), each against a fresh simulator.
//
// Method
// - Every task answers PENDING twice, then SUCCESS (3 reads each, 30,000 requests). The interval
//   (100 ms) asks for far more than the budget, so the budget is what paces the run.
// - `createCambClient({ maxRequestsPerSecond: 500, maxConcurrentRequests: 64 })`, Node's fetch.
// - At the server: when each status request arrived (the simulator's clock). Achieved rate = the
//   requests after the first second ÷ the time from the first second's end to the last arrival
//   (the first second is the budget's initial burst); the most requests that arrived in any
//   one-second window (a sliding window over every arrival).
// - The client's event-loop delay (monitorEventLoopDelay, 10 ms resolution) and CPU time during
//   the run: on a shared machine, a client that waits for a core cannot keep to any pace.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { from } from 'rxjs';
import { createCambClient } from 'camb-rx';
import { loadBaseline } from './lib/baseline.mjs';
import { SMOKE, fmt, table, withDeadline, writeResults } from './lib/common.mjs';

const TASKS = SMOKE ? 300 : 10_000;
const RATE = SMOKE ? 100 : 500;
const CONCURRENCY = 64;
const PENDING_POLLS = 2;
const INTERVAL_MS = 100;
const DEADLINE_MS = SMOKE ? 60_000 : 10 * 60_000;

/** One run of the workload with `create` (a `createCambClient`) against a fresh simulator: what the server saw. */
async function measure(create) {
  const child = fork(new URL('./lib/sim-process.mjs', import.meta.url), { stdio: 'inherit' });
  const [ready] = await withDeadline(once(child, 'message'), 10_000, 'simulator start');
  const ids = Array.from({ length: TASKS }, (_, i) => `rate-${i}`);
  child.send({ type: 'add', ids, pendingPolls: PENDING_POLLS });
  await withDeadline(once(child, 'message'), 30_000, 'simulator add');

  const camb = create({ apiKey: ready.apiKey, baseUrl: ready.url, maxRequestsPerSecond: RATE, maxConcurrentRequests: CONCURRENCY });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuAtStart = process.cpuUsage();
  const t0 = performance.now();
  let successes = 0;
  await withDeadline(
    new Promise((resolve, reject) => {
      from(ids)
        .pipe(camb.mergeTasks({ interval: INTERVAL_MS }))
        .subscribe({ next: (s) => s.status === 'SUCCESS' && successes++, error: reject, complete: resolve });
    }),
    DEADLINE_MS,
    'budget-rate run',
  );
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  loopDelay.disable();
  child.send({ type: 'arrivals' });
  const [{ startedAt }] = await withDeadline(once(child, 'message'), 30_000, 'simulator arrivals');
  child.send({ type: 'close' });
  await withDeadline(once(child, 'exit'), 10_000, 'simulator close').catch(() => child.kill());

  const arrivals = [...startedAt].sort((a, b) => a - b);
  if (successes !== TASKS || arrivals.length !== TASKS * (PENDING_POLLS + 1)) {
    throw new Error(`budget-rate: ${successes} successes and ${arrivals.length} requests (expected ${TASKS} and ${TASKS * (PENDING_POLLS + 1)})`);
  }
  let mostInAnySecond = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (arrivals[i] - arrivals[j] >= 1000) j++;
    mostInAnySecond = Math.max(mostInAnySecond, i - j + 1);
  }
  const afterFirstSecond = arrivals.filter((t) => t >= arrivals[0] + 1000);
  const achievedRate = (afterFirstSecond.length - 1) / ((afterFirstSecond.at(-1) - afterFirstSecond[0]) / 1000);
  return {
    requests: arrivals.length,
    wallS,
    achievedRate,
    mostInAnySecond,
    clientCpuS: (cpu.user + cpu.system) / 1e6,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loopDelayMaxMs: loopDelay.max / 1e6,
  };
}

const baseline = await loadBaseline();
const contenders = [
  ...(baseline ? [{ name: `baseline ${baseline.ref} (${baseline.commit})`, create: baseline.module.createCambClient }] : []),
  { name: 'camb-rx (this build)', create: createCambClient },
];
for (const contender of contenders) contender.result = await measure(contender.create);

console.log(`\n## Shared budget over loopback — ${TASKS.toLocaleString('en-US')} tasks, maxRequestsPerSecond ${RATE}, maxConcurrentRequests ${CONCURRENCY}, simulator in a child process\n`);
const row = (metric, value) => [metric, ...contenders.map((contender) => value(contender.result))];
console.log(
  table(
    ['metric', ...contenders.map((contender) => contender.name)],
    [
      row('status requests at the server', (r) => fmt(r.requests, 0)),
      row('wall time (s)', (r) => fmt(r.wallS, 1)),
      row('achieved rate after the first second (req/s)', (r) => fmt(r.achievedRate, 1)),
      row('most requests arriving in any one-second window', (r) => fmt(r.mostInAnySecond, 0)),
      row('client CPU time (s)', (r) => fmt(r.clientCpuS, 1)),
      row('client event-loop delay p99 / max (ms)', (r) => `${fmt(r.loopDelayP99Ms, 1)} / ${fmt(r.loopDelayMaxMs, 1)}`),
    ],
  ),
);
const { result } = contenders.at(-1);
const withinFivePercent = Math.abs(result.achievedRate - RATE) <= 0.05 * RATE;
const neverAbove = result.mostInAnySecond <= RATE;
console.log(`target (this build): achieved within 5% of ${RATE} req/s → ${withinFivePercent ? 'MET' : 'NOT MET'}; never above ${RATE} in any second at the server → ${neverAbove ? 'MET' : 'NOT MET'}`);
writeResults('budget-rate', {
  method: { tasks: TASKS, rate: RATE, concurrency: CONCURRENCY, pendingPolls: PENDING_POLLS, intervalMs: INTERVAL_MS },
  result,
  baseline: baseline ? { ref: baseline.ref, commit: baseline.commit, result: contenders[0].result } : null,
  target: { withinFivePercent, neverAbove },
});
