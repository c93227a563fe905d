// Benchmark — the shared budget over real sockets: 10,000 tasks in one `mergeTasks` of a client
// whose budget allows 500 requests per second, against the CAMB simulator (camb-rx/testing) in a
// child process. Run it once: `npm run bench:budget-rate` (about 1 min; BENCH_SMOKE=1: seconds).
//
// Method
// - Every task answers PENDING twice, then SUCCESS (3 reads each, 30,000 requests). The interval
//   (100 ms) asks for far more than the budget, so the budget is what paces the run.
// - `createCambClient({ maxRequestsPerSecond: 500, maxConcurrentRequests: 64 })`, Node's fetch.
// - At the server: when each status request arrived (the simulator's clock). Achieved rate = the
//   requests after the first second ÷ the time from the first second's end to the last arrival
//   (the first second is the budget's initial burst); the most requests that arrived in any
//   one-second window (a sliding window over every arrival).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { from } from 'rxjs';
import { createCambClient } from 'camb-rx';
import { SMOKE, fmt, table, withDeadline, writeResults } from './lib/common.mjs';

const TASKS = SMOKE ? 300 : 10_000;
const RATE = SMOKE ? 100 : 500;
const CONCURRENCY = 64;
const PENDING_POLLS = 2;
const INTERVAL_MS = 100;
const DEADLINE_MS = SMOKE ? 60_000 : 5 * 60_000;

const child = fork(new URL('./lib/sim-process.mjs', import.meta.url), { stdio: 'inherit' });
const [ready] = await withDeadline(once(child, 'message'), 10_000, 'simulator start');
const ids = Array.from({ length: TASKS }, (_, i) => `rate-${i}`);
child.send({ type: 'add', ids, pendingPolls: PENDING_POLLS });
await withDeadline(once(child, 'message'), 30_000, 'simulator add');

const camb = createCambClient({ apiKey: ready.apiKey, baseUrl: ready.url, maxRequestsPerSecond: RATE, maxConcurrentRequests: CONCURRENCY });
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
child.send({ type: 'arrivals' });
const [{ startedAt }] = await withDeadline(once(child, 'message'), 30_000, 'simulator arrivals');
child.send({ type: 'close' });
await withDeadline(once(child, 'exit'), 10_000, 'simulator close').catch(() => child.kill());

const arrivals = [...startedAt].sort((a, b) => a - b);
let mostInAnySecond = 0;
for (let i = 0, j = 0; i < arrivals.length; i++) {
  while (arrivals[i] - arrivals[j] >= 1000) j++;
  mostInAnySecond = Math.max(mostInAnySecond, i - j + 1);
}
const first = arrivals[0];
const afterFirstSecond = arrivals.filter((t) => t >= first + 1000);
const achievedRate = (afterFirstSecond.length - 1) / ((afterFirstSecond.at(-1) - afterFirstSecond[0]) / 1000);
const withinFivePercent = Math.abs(achievedRate - RATE) <= 0.05 * RATE;
const neverAbove = mostInAnySecond <= RATE;
if (successes !== TASKS || arrivals.length !== TASKS * (PENDING_POLLS + 1)) {
  throw new Error(`budget-rate: ${successes} successes and ${arrivals.length} requests (expected ${TASKS} and ${TASKS * (PENDING_POLLS + 1)})`);
}

console.log(`\n## Shared budget over loopback — ${TASKS.toLocaleString('en-US')} tasks, maxRequestsPerSecond ${RATE}, maxConcurrentRequests ${CONCURRENCY}, simulator in a child process\n`);
console.log(
  table(
    ['metric', 'value'],
    [
      ['status requests at the server', fmt(arrivals.length, 0)],
      ['wall time (s)', fmt(wallS, 1)],
      ['achieved rate after the first second (req/s)', fmt(achievedRate, 1)],
      ['most requests arriving in any one-second window', fmt(mostInAnySecond, 0)],
    ],
  ),
);
console.log(`target: achieved within 5% of ${RATE} req/s → ${withinFivePercent ? 'MET' : 'NOT MET'}; never above ${RATE} in any second at the server → ${neverAbove ? 'MET' : 'NOT MET'}`);
writeResults('budget-rate', {
  method: { tasks: TASKS, rate: RATE, concurrency: CONCURRENCY, pendingPolls: PENDING_POLLS, intervalMs: INTERVAL_MS },
  result: { requests: arrivals.length, wallS, achievedRate, mostInAnySecond },
  target: { withinFivePercent, neverAbove },
});
