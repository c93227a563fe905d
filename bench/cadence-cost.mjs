// Benchmark — the CPU cost of learning: 10,000 tasks in one `mergeTasks` sharing one adaptive
// cadence, side by side with the same run without it.
//
// Method
// - Workload as in bench/scale.mjs: `from(ids).pipe(mergeTasks({ fetch: stub, interval, … }))`,
//   every task answers PENDING 2× then SUCCESS after 5 ms (an in-process setTimeout stub), and
//   reads are 2 s apart, so both variants send the same requests at the same times.
// - baseline: `interval: 2000`. learning: `interval` is a cadence that waits the same 2 s but hands
//   every age to one shared `adaptiveCadence()` (its `nextDelayMs` runs, result unused) and lets
//   the stream report every task to it (`track`: every pending read, then the end: 10,000
//   interval-censored observations, a re-plan every 64, each folding in the tasks still running;
//   most tasks end in the first gap, so one in 12 is explored: its own delay is asked, result
//   unused, and it teaches the first gap's shape, relearned at each plan);
//   the cadence is created inside the run (its first plan counted). Same tasks, same engine: the
//   difference is all the cadence's work (creating, reporting, learning, re-planning).
// - Each round starts two child processes at once, one per variant, each running 3 warm-up runs
//   (V8 is still optimising the cadence's code over a process's first 20,000–30,000 tasks: the
//   cadence alone takes about 130, 50, 40 ms in its first three runs and 20 ms after; that one-off
//   cost is reported on its own, as the first runs' difference), then RUNS measured runs (few
//   per child, many rounds: a process's own JIT and heap luck moves all its runs together, so
//   more rounds count for more than more runs); the runs are paced by the same 2 s timers, so
//   run k of one child overlaps run k of the other and both see the same load on this shared
//   machine. CPU of a run = process.cpuUsage() (user + system) of its child, from the first id to
//   the last SUCCESS plus a full GC of what the run left (a full GC before each run, not counted, so no run pays for
//   another's garbage). Overhead = learning ÷ baseline − 1 per pair (run k of both children of
//   one round); median and interquartile range over all pairs. Target (issue 10): median ≤ 5%.
// - The median's confidence interval: distribution-free, from the pairs' order statistics (bench/lib/median-interval.mjs);
//   CADENCE_COST_ROUNDS=<n> (default 10) runs more rounds for a narrower one.
// - CADENCE_COST_AA=1: both children run the baseline (an A/A check of the method's noise floor).
// - CADENCE_COST_NOOP=1: the second child's cadence learns nothing: `nextDelayMs` gives 2 s,
//   `observe` and `track` handles do nothing (what the streams' reporting costs, without learning).
// - Also the cadence alone: the same ages and observations handed straight to one cadence, no
//   streams (its own work, without the reporting operator), median over as many runs; and its CPU
//   per task with a tenth and ten times as many tasks (1 warm-up + 5 runs each): flat when learning
//   costs O(1) per task amortised (issue 10 asks for O(grid) or better per observed task).
// - BENCH_BASELINE=<git ref>: the cadence alone as built from that ref too (bench/lib/baseline.mjs),
//   its runs alternating with this build's in the same process, and the median ratio of the pairs.
// - CADENCE_COST_INSIDE=<runs> (run with node --expose-gc): the learning run in this process (after the warm-up), summing the time spent inside the
//   cadence's calls (`observe`, `track`, its handles' `pending`/`end`, `nextDelayMs`; the timing itself costs about
//   3–5 ms per run), printed beside the cadence alone run between them: the cadence's own work where it runs, among
//   the engine's, against the same work in a tight loop.
// - CADENCE_COST_ALONE=<runs>: only the cadence alone, that many runs, printing nothing but its
//   median: the run to profile, e.g.
//     CADENCE_COST_ALONE=30 node --cpu-prof --cpu-prof-dir=/tmp/cadence-profile bench/cadence-cost.mjs
//     node bench/lib/cpu-profile-summary.mjs /tmp/cadence-profile/*.cpuprofile '^solveInspection ' '^fit '
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { from } from 'rxjs';
import { adaptiveCadence, mergeTasks } from 'camb-rx';
import { aroundCadence } from './lib/around-cadence.mjs';
import { loadBaseline } from './lib/baseline.mjs';
import { SMOKE, answerAfter, fmt, percentile, range, summarize, table, withDeadline, writeResults } from './lib/common.mjs';
import { medianInterval } from './lib/median-interval.mjs';

const TASKS = SMOKE ? 200 : 10_000;
const PENDING_READS = 2;
const INTERVAL_MS = SMOKE ? 50 : 2000;
const LATENCY_MS = 5;
const WARMUP = SMOKE ? 0 : 3;
const ROUNDS = Number(process.env.CADENCE_COST_ROUNDS ?? (SMOKE ? 1 : 10));
const RUNS = SMOKE ? 1 : 2;
const AA = process.env.CADENCE_COST_AA === '1';
const NOOP = process.env.CADENCE_COST_NOOP === '1';
/** What the second child runs: the baseline again (A/A), the no-op cadence, or learning. */
const SECOND = AA ? 'baseline' : NOOP ? 'noop' : 'learning';
const SCALING_RUNS = SMOKE ? 1 : 5;
/** A child's runs, warm-up included, each a few seconds: bounded. */
const CHILD_DEADLINE_MS = (WARMUP + RUNS) * 60_000;

function stubFetch() {
  const reads = new Map();
  return (url, init) => {
    const id = url.slice(url.lastIndexOf('/') + 1);
    const read = (reads.get(id) ?? 0) + 1;
    reads.set(id, read);
    return answerAfter(LATENCY_MS, read > PENDING_READS ? { status: 'SUCCESS', run_id: read } : { status: 'PENDING' }, init.signal);
  };
}

/** A tracked task as the cadence gave it, but read every 2 s like the baseline's: an explored task's own delay is asked (its cost counted), not used. */
const sameTimes = (task) => (task.nextDelayMs ? { pending: (ageMs) => task.pending(ageMs), end: () => task.end(), nextDelayMs: (ageMs) => (task.nextDelayMs(ageMs), INTERVAL_MS) } : task);

/** Time spent inside the cadence's own calls (CADENCE_COST_INSIDE), summed by `timedCadence`. */
const inside = { ms: 0 };
/** A cadence whose every call (and every call to its tasks' handles) is timed into `inside.ms`. */
const timedCadence = (cadence) =>
  aroundCadence(cadence, (_method, call) => {
    const started = performance.now();
    try {
      return call();
    } finally {
      inside.ms += performance.now() - started;
    }
  });

/** One run of every task (in a child started with --expose-gc); resolves with its CPU ms, and of those the final full GC's. */
function run(label, variant) {
  const made = variant === 'learning' || variant === 'timed' ? adaptiveCadence() : undefined;
  const cadence = variant === 'timed' ? timedCadence(made) : made;
  const interval = cadence
    ? { nextDelayMs: (ageMs) => (cadence.nextDelayMs(ageMs), INTERVAL_MS), observe: (o) => cadence.observe(o), track: () => sameTimes(cadence.track()) }
    : variant === 'noop'
      ? { nextDelayMs: () => INTERVAL_MS, observe: () => {}, track: () => ({ pending: () => {}, end: () => {} }) }
      : INTERVAL_MS;
  const ids = Array.from({ length: TASKS }, (_, i) => `${label}-${i}`);
  const options = { apiKey: 'bench-key', fetch: stubFetch(), interval, maxConcurrentRequests: Infinity, maxRequestsPerSecond: Infinity };
  globalThis.gc();
  return new Promise((resolve, reject) => {
    const cpu0 = process.cpuUsage();
    let successes = 0;
    from(ids)
      .pipe(mergeTasks(options))
      .subscribe({
        next: (s) => void (s.status === 'SUCCESS' && successes++),
        error: reject,
        complete: () => {
          const beforeGc = process.cpuUsage(cpu0);
          globalThis.gc();
          const cpu = process.cpuUsage(cpu0);
          if (successes !== TASKS) reject(new Error(`cadence-cost: ${successes} of ${TASKS} done`));
          if (made && made.observed !== TASKS) reject(new Error(`cadence-cost: the cadence learned from ${made.observed} tasks`));
          resolve({ cpuMs: (cpu.user + cpu.system) / 1000, gcMs: (cpu.user + cpu.system - beforeGc.user - beforeGc.system) / 1000 });
        },
      });
  });
}

/** Child: `--child <baseline|learning> <round>`: the warm-up runs, then prints the measured runs' CPU as JSON. */
async function child(variant, round) {
  const runs = [];
  for (let r = 0; r < WARMUP + RUNS; r++) runs.push(await run(`${round}-${variant}-${r}`, variant));
  process.stdout.write(JSON.stringify({ warmup: runs.slice(0, WARMUP), runs: runs.slice(WARMUP) }));
}

/** Starts one child for `variant`; resolves with its measured runs' CPU. */
function spawnChild(variant, round) {
  const script = fileURLToPath(import.meta.url);
  const proc = spawn(process.execPath, ['--expose-gc', script, '--child', variant, String(round)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (chunk) => (out += chunk));
  const done = new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`cadence-cost: the ${variant} child exited with ${code}`))));
  });
  return withDeadline(done, CHILD_DEADLINE_MS, `cadence-cost child ${variant}`).catch((error) => {
    proc.kill();
    throw error;
  });
}

/** The cadence alone, without streams: the same ages and observations, straight into it; CPU ms per run. */
function alone(tasks = TASKS, makeCadence = adaptiveCadence) {
  const cadence = makeCadence();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < tasks; i++) {
    const task = cadence.track();
    const nextDelayMs = (ageMs) => (task.nextDelayMs ? task.nextDelayMs(ageMs) : cadence.nextDelayMs(ageMs));
    task.pending(0);
    nextDelayMs(0);
    task.pending(INTERVAL_MS + LATENCY_MS);
    nextDelayMs(INTERVAL_MS + LATENCY_MS);
    task.end();
    cadence.observe({ runningAtMs: INTERVAL_MS + LATENCY_MS, finishedByMs: 2 * (INTERVAL_MS + LATENCY_MS) });
  }
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000;
}

async function main() {
  const started = performance.now();
  const pairs = [];
  /** Per round: how much more CPU the second child's first run took than the baseline child's (V8 optimising the cadence's code). */
  const firstRunExtraMs = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Both children at once (start order swapped every round); run k of one pairs with run k of the other.
    const [baseline, learning] = round % 2 === 0 ? await Promise.all([spawnChild('baseline', round), spawnChild(SECOND, round)]) : (await Promise.all([spawnChild(SECOND, round), spawnChild('baseline', round)])).reverse();
    for (let k = 0; k < RUNS; k++) pairs.push({ baseline: baseline.runs[k], learning: learning.runs[k] });
    if (WARMUP > 0) firstRunExtraMs.push(learning.warmup[0].cpuMs - baseline.warmup[0].cpuMs);
  }
  const baselineBuild = await loadBaseline();
  const aloneRuns = [];
  const baselineAloneRuns = [];
  const measureThis = () => aloneRuns.push(alone());
  const measureBaseline = () => baselineAloneRuns.push(alone(TASKS, baselineBuild.module.adaptiveCadence));
  for (let run = 0; run < WARMUP + ROUNDS * RUNS; run++) {
    if (!baselineBuild) measureThis();
    else for (const measure of run % 2 === 0 ? [measureThis, measureBaseline] : [measureBaseline, measureThis]) measure(); // which goes first alternates
  }
  const aloneMs = summarize(aloneRuns.slice(WARMUP));
  const aloneRatios = baselineAloneRuns.slice(WARMUP).map((ms, i) => aloneRuns[WARMUP + i] / ms);
  const scaling = [TASKS / 10, TASKS, TASKS * 10].map((tasks) => ({ tasks, usPerTask: summarize(Array.from({ length: 1 + SCALING_RUNS }, () => (alone(tasks) * 1000) / tasks).slice(1)) }));

  const baseline = summarize(pairs.map((p) => p.baseline.cpuMs));
  const learning = summarize(pairs.map((p) => p.learning.cpuMs));
  const baselineGc = summarize(pairs.map((p) => p.baseline.gcMs));
  const learningGc = summarize(pairs.map((p) => p.learning.gcMs));
  const ratios = pairs.map((p) => (p.learning.cpuMs / p.baseline.cpuMs - 1) * 100);
  const overhead = { ...summarize(ratios), p25: percentile(ratios, 25), p75: percentile(ratios, 75), medianInterval: medianInterval(ratios) };
  const interval = overhead.medianInterval;
  const secondLabel = { baseline: 'baseline again (A/A check)', noop: 'a cadence that learns nothing', learning: 'sharing one adaptiveCadence' }[SECOND];
  console.log(`\n## Cadence cost — ${TASKS.toLocaleString('en-US')} tasks in one mergeTasks, ${PENDING_READS + 1} reads each, ${ROUNDS} rounds × ${RUNS} paired runs (+${WARMUP} warm-up per child)`);
  console.log('median (min–max) over runs\n');
  console.log(
    table(
      ['variant', 'CPU ms per run', 'of which the final full GC', 'CPU µs per task'],
      [
        [`baseline (interval: ${INTERVAL_MS})`, range(baseline, 0), range(baselineGc, 0), fmt(baseline.median * (1000 / TASKS), 1)],
        [secondLabel, range(learning, 0), range(learningGc, 0), fmt(learning.median * (1000 / TASKS), 1)],
      ],
    ),
  );
  const isLearning = SECOND === 'learning';
  console.log(`\n${{ baseline: 'A/A difference', noop: 'reporting overhead (no learning)', learning: 'learning overhead' }[SECOND]} over ${pairs.length} pairs: median ${fmt(overhead.median, 1)} % CPU, interquartile ${fmt(overhead.p25, 1)} to ${fmt(overhead.p75, 1)} %, min–max ${fmt(overhead.min, 1)} to ${fmt(overhead.max, 1)} %${interval ? `; the median lies within ${fmt(interval.low, 1)} to ${fmt(interval.high, 1)} % with ${fmt(interval.level * 100, 1)} % confidence` : ''}${isLearning ? ` — target ≤ 5%: ${overhead.median <= 5 ? 'MET' : 'NOT MET'}` : ''}`);
  console.log(`the cadence alone (the same ages and observations, no streams): ${range(aloneMs, 1)} ms CPU per run, ${fmt((aloneMs.median / baseline.median) * 100, 1)} % of the baseline`);
  if (baselineBuild) {
    console.log(`the cadence alone as built from ${baselineBuild.ref} (${baselineBuild.commit}), its runs alternating with these: ${range(summarize(baselineAloneRuns.slice(WARMUP)), 1)} ms CPU per run; this build ÷ that one, median over ${aloneRatios.length} pairs: ${fmt(summarize(aloneRatios).median, 3)} (interquartile ${fmt(percentile(aloneRatios, 25), 3)}–${fmt(percentile(aloneRatios, 75), 3)})`);
  }
  if (WARMUP > 0) {
    console.log(`while V8 optimises its code, a process's first runs: the cadence alone ${aloneRuns.slice(0, WARMUP).map((ms) => fmt(ms, 0)).join(', ')} ms; the ${SECOND} child's first run, over the baseline child's: ${range(summarize(firstRunExtraMs), 0)} ms CPU (once per process, not in the overhead above)`);
  }
  console.log('\nthe cadence alone, per task, as the tasks sharing it grow (median over runs):\n');
  console.log(table(['tasks sharing one cadence', 'CPU µs per task'], scaling.map(({ tasks, usPerTask }) => [tasks.toLocaleString('en-US'), range(usPerTask, 2)])));
  console.log(`wall time ${fmt((performance.now() - started) / 1000, 0)} s`);
  if (!isLearning) return; // a check of the method or a decomposition, not the result
  writeResults('cadence-cost', {
    method: { tasks: TASKS, readsPerTask: PENDING_READS + 1, intervalMs: INTERVAL_MS, stubLatencyMs: LATENCY_MS, rounds: ROUNDS, pairedRunsPerRound: RUNS, warmupPerChild: WARMUP, cpu: 'process.cpuUsage() of each child; a full GC after each run counted' },
    results: { baseline, learning, baselineFinalGcMs: baselineGc, learningFinalGcMs: learningGc, overheadPercent: overhead, cadenceAloneMs: aloneMs, cadenceAloneFirstRunsMs: aloneRuns.slice(0, WARMUP), firstRunExtraMs: WARMUP > 0 ? summarize(firstRunExtraMs) : undefined, cadenceAlonePerTask: scaling },
  });
}

const ALONE_RUNS = Number(process.env.CADENCE_COST_ALONE ?? 0);
const INSIDE_RUNS = Number(process.env.CADENCE_COST_INSIDE ?? 0);

/** CADENCE_COST_INSIDE=<runs>: the learning run in this process, its cadence's calls timed; against the cadence alone. */
async function insideRuns() {
  const runs = [];
  for (let r = 0; r < WARMUP + INSIDE_RUNS; r++) {
    inside.ms = 0;
    const { cpuMs } = await run(`inside-${r}`, 'timed');
    runs.push({ cpuMs, insideMs: inside.ms, aloneMs: alone() });
  }
  const measured = runs.slice(WARMUP);
  const over = (key) => summarize(measured.map((r) => r[key]));
  console.log(
    `inside the cadence's calls, in a run of ${TASKS.toLocaleString('en-US')} tasks through mergeTasks: ${range(over('insideMs'), 1)} ms per run ` +
      `(${fmt((over('insideMs').median / over('cpuMs').median) * 100, 1)} % of the run's CPU, the timing included); the cadence alone, between the runs: ${range(over('aloneMs'), 1)} ms`,
  );
}
const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await child(process.argv[childAt + 1], Number(process.argv[childAt + 2]));
else if (INSIDE_RUNS > 0) await insideRuns();
else if (ALONE_RUNS > 0) console.log(`the cadence alone: ${range(summarize(Array.from({ length: ALONE_RUNS }, () => alone())), 1)} ms CPU per run of ${TASKS.toLocaleString('en-US')} tasks`);
else await main();
