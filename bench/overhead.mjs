// Benchmark 1 — per-poll overhead of `transcriptionStatus$` next to what users would otherwise write.
//
// Method
// - Contenders, each watching N tasks at once, each task answering PENDING (M−1)× then SUCCESS,
//   with a 1 ms interval between a response and the next poll:
//     hand        the floor: an `async` loop of fetch + res.json() + setTimeout
//     hand+abort  the same loop with what camb-rx does per request for cancellation: an
//                 AbortController and a 30 s request-timeout timer (for reference only)
//     sdk         @camb-ai/sdk 1.0.1 in the README's `while (true)` loop (bounded here)
//     camb-rx     lastValueFrom(transcriptionStatus$(id, { apiKey, baseUrl, interval: 1 }))
//     camb-rx mergeTasks   every task of the round in one mergeTasks, the budget opened
//     baseline …  with BENCH_BASELINE=<git ref> (e.g. main), `camb-rx mergeTasks` on camb-rx built from
//                 that ref (bench/lib/baseline.mjs), in the same rounds: before and after in one run
// - Transports: `loopback` — the CAMB simulator (camb-rx/testing) over real HTTP on 127.0.0.1, in a
//   child process so its CPU and heap are not counted; `stub` — an in-process fetch returning
//   Promise.resolve(Response.json(body)), to isolate library cost from socket cost. The SDK takes a
//   custom `fetch` option, so it runs against the stub too.
// - Two runs, each its own process (V8 heap flags are per process), contenders alternating within
//   each round in the same process (the order rotates per round), warm-up rounds discarded:
//   · CPU run (default heap, rounds back to back): process.cpuUsage() (user+system, all threads)
//     across the round ÷ polls; the GC work the rounds cause is counted, as in an app. No forced
//     gc() here: in a trial, a gc() before each round made the round after it 2–4× slower.
//   · Allocation run: v8 `total_allocated_bytes` does not exist in Node 20, so heapUsed after − before
//     the round, with a forced gc() before and a young generation big enough
//     (--min/max-semi-space-size=128) that no GC runs inside the round (checked with perf_hooks
//     'gc' entries) — the delta is then every byte allocated on the JS heap (off-heap ArrayBuffers
//     not included). CPU is not read from this run: a 128 MiB nursery makes every allocation touch
//     fresh memory and inflated CPU time 3–4× in a trial.
// - Ratios to `hand` and to `hand+abort` are paired per round (same round, same conditions), then
//   summarised as median [interquartile range] over rounds: on a shared 2-core machine a round
//   now and then runs while another process holds a core, and the IQR says how much the middle
//   half of the rounds agree. OVERHEAD_ROUNDS=<n> sets the CPU run's rounds (default 30),
//   OVERHEAD_TRANSPORTS / OVERHEAD_CONTENDERS (comma-separated) narrow a run.
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { filter, from, lastValueFrom, map, toArray } from 'rxjs';
import { mergeTasks, transcriptionStatus$ } from 'camb-rx';
import { CambClient } from '@camb-ai/sdk';
import { SMOKE, fmt, iqr, mean, range, rotate, sleep, summarize, table, withDeadline, writeResults } from './lib/common.mjs';
import { loadBaseline } from './lib/baseline.mjs';

/**
 * Which run this process is: none = the orchestrator, which starts a `cpu` and an `alloc` run and
 * reports; `profile` = a CPU run under bench/profile.mjs (default heap, no forced GC, so the profile
 * shows the GC work an app would do). Each run writes its raw samples to OVERHEAD_PHASE_OUT.
 */
const PHASE = process.env.OVERHEAD_PHASE;
const PHASES = {
  cpu: { flags: [], forceGc: false, warmup: SMOKE ? 0 : 3, rounds: SMOKE ? 1 : 30 },
  alloc: { flags: ['--expose-gc', '--max-semi-space-size=128', '--min-semi-space-size=128'], forceGc: true, warmup: SMOKE ? 0 : 2, rounds: SMOKE ? 1 : 5 },
  profile: { flags: [], forceGc: false, warmup: SMOKE ? 0 : 3, rounds: SMOKE ? 1 : 30 },
};
const forceGc = () => (PHASES[PHASE]?.forceGc ? globalThis.gc() : undefined);

const N = SMOKE ? 4 : 50; // tasks watched at once per round
const M = SMOKE ? 3 : 20; // polls per task
const INTERVAL_MS = 1;
const MAX_POLLS = M + 5; // every loop is bounded
const STUB_BASE = 'https://client.camb.ai/apis'; // never reached: the stub answers
const only = (name, all) => (process.env[name] ? process.env[name].split(',') : all);

// ---- contenders: (ids, { baseUrl, apiKey, fetch }) => Promise<number[]> (polls per task) ----

async function handLoop(id, { baseUrl, apiKey, fetch }) {
  const url = `${baseUrl}/transcribe/${encodeURIComponent(id)}`;
  const headers = { 'x-api-key': apiKey, accept: 'application/json' };
  for (let poll = 1; poll <= MAX_POLLS; poll++) {
    const response = await fetch(url, { headers });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = await response.json();
    if (body.status !== 'PENDING') return poll;
    await sleep(INTERVAL_MS);
  }
  throw new Error('hand: too many polls');
}

async function handAbortLoop(id, { baseUrl, apiKey, fetch }) {
  const url = `${baseUrl}/transcribe/${encodeURIComponent(id)}`;
  const headers = { 'x-api-key': apiKey, accept: 'application/json' };
  for (let poll = 1; poll <= MAX_POLLS; poll++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    let body;
    try {
      const response = await fetch(url, { headers, signal: controller.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } finally {
      clearTimeout(timer);
    }
    if (body.status !== 'PENDING') return poll;
    await sleep(INTERVAL_MS);
  }
  throw new Error('hand+abort: too many polls');
}

async function sdkLoop(id, client) {
  // The README's loop: `while (true) { const status = await client.….get…Status({ taskId }); if SUCCESS break; sleep }`
  for (let poll = 1; poll <= MAX_POLLS; poll++) {
    const status = await client.transcription.getTranscriptionTaskStatus({ task_id: id });
    if (status.status === 'SUCCESS') return poll;
    await sleep(INTERVAL_MS);
  }
  throw new Error('sdk: too many polls');
}

/** camb-rx built from BENCH_BASELINE, when asked for (built once, before the first run). */
const baseline = await loadBaseline();

/** Every task of the round in one mergeTasks of `merge` (this build's or the baseline's), the budget opened. */
function mergeTasksRound(merge, ids, t) {
  const options = { apiKey: t.apiKey, baseUrl: t.baseUrl, interval: INTERVAL_MS, minIntervalMs: 0, maxConcurrentRequests: Infinity, maxRequestsPerSecond: Infinity, ...(t.stub && { fetch: t.fetch }) };
  return lastValueFrom(from(ids).pipe(merge(options), filter((s) => s.done), map((s) => (s.status === 'SUCCESS' ? s.poll : -1)), toArray()));
}

const contenders = {
  hand: (ids, t) => Promise.all(ids.map((id) => handLoop(id, t))),
  'hand+abort': (ids, t) => Promise.all(ids.map((id) => handAbortLoop(id, t))),
  sdk: (ids, t) => {
    const client = new CambClient({ apiKey: t.apiKey, baseUrl: t.baseUrl, ...(t.stub && { fetch: t.fetch }) });
    return Promise.all(ids.map((id) => sdkLoop(id, client)));
  },
  'camb-rx': (ids, t) => {
    // Loopback: camb-rx's default fetch (globalThis.fetch), as users get it.
    // minIntervalMs: 0 so that camb-rx waits the same 1 ms as the hand-written loops (its floor is 250 ms).
    const options = { apiKey: t.apiKey, baseUrl: t.baseUrl, interval: INTERVAL_MS, minIntervalMs: 0, ...(t.stub && { fetch: t.fetch }) };
    return Promise.all(ids.map((id) => lastValueFrom(transcriptionStatus$(id, options)).then((s) => (s.status === 'SUCCESS' ? s.poll : -1))));
  },
  // The engine: every task of the round in one mergeTasks, the budget opened (as the loops have none).
  'camb-rx mergeTasks': (ids, t) => mergeTasksRound(mergeTasks, ids, t),
  ...(baseline && { [`baseline ${baseline.ref} (${baseline.commit}) mergeTasks`]: (ids, t) => mergeTasksRound(baseline.module.mergeTasks, ids, t) }),
};

// ---- transports ----

/** In-process stub: PENDING for `pendingPolls` reads of a task, then SUCCESS (the simulator's body shape). */
function stubTransport(pendingPolls) {
  const reads = new Map();
  const pending = { status: 'PENDING', run_id: null, exception_reason: null, message: null };
  const success = { status: 'SUCCESS', run_id: 1, exception_reason: null, message: null };
  const fetch = (url) => {
    const id = url.slice(url.lastIndexOf('/') + 1).split('?')[0];
    const read = (reads.get(id) ?? 0) + 1;
    if (read > pendingPolls) reads.delete(id); // bounded: forget finished tasks
    else reads.set(id, read);
    return Promise.resolve(Response.json(read > pendingPolls ? success : pending));
  };
  return { name: 'stub', stub: true, baseUrl: STUB_BASE, apiKey: 'bench-key', fetch, prepare: async () => {}, close: async () => {} };
}

/** The simulator over loopback HTTP, in a child process. */
async function loopbackTransport(pendingPolls) {
  const child = fork(new URL('./lib/sim-process.mjs', import.meta.url), { stdio: 'inherit' });
  const [ready] = await withDeadline(once(child, 'message'), 10_000, 'simulator start');
  return {
    name: 'loopback',
    stub: false,
    baseUrl: ready.url,
    apiKey: ready.apiKey,
    fetch: globalThis.fetch,
    prepare: async (ids) => {
      child.send({ type: 'add', ids, pendingPolls });
      await withDeadline(once(child, 'message'), 10_000, 'simulator add');
    },
    close: async () => {
      child.send({ type: 'close' });
      await withDeadline(once(child, 'exit'), 10_000, 'simulator close').catch(() => child.kill());
    },
  };
}

// ---- measurement (in a cpu, alloc or profile run) ----

const gcStarts = [];

async function measure(name, transport, round) {
  const ids = Array.from({ length: N }, (_, i) => `r${round}-${name.replace(/[^\w+-]+/g, "_")}-${i}`);
  await transport.prepare(ids);
  forceGc();
  const t0 = performance.now();
  const heap0 = v8.getHeapStatistics().used_heap_size;
  const cpu0 = process.cpuUsage();
  const polls = await withDeadline(contenders[name](ids, transport), 60_000, `${name} over ${transport.name}`);
  const cpu = process.cpuUsage(cpu0);
  const heap1 = v8.getHeapStatistics().used_heap_size;
  const t1 = performance.now();
  if (polls.some((p) => p !== M)) throw new Error(`${name}: expected ${M} polls per task, got ${polls}`);
  await sleep(5); // let the 'gc' entries arrive
  const total = N * M;
  return {
    cpuUs: (cpu.user + cpu.system) / total,
    bytes: (heap1 - heap0) / total,
    wallMs: t1 - t0,
    gcs: gcStarts.filter((s) => s > t0 && s < t1).length,
  };
}

/** One run: every transport, warm-up + rounds; raw samples to OVERHEAD_PHASE_OUT. */
async function runPhase({ warmup, rounds }) {
  if (PHASES[PHASE].forceGc && typeof globalThis.gc !== 'function') throw new Error('overhead: run with --expose-gc');
  const gcObserver = new PerformanceObserver((list) => gcStarts.push(...list.getEntries().map((e) => e.startTime)));
  gcObserver.observe({ entryTypes: ['gc'] });
  // Monotonic µs (CLOCK_MONOTONIC, the clock of V8's profiler): bench/profile.mjs keeps only samples in this window.
  const measuredWindowUs = { from: Infinity, to: -Infinity };
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  const names = only('OVERHEAD_CONTENDERS', Object.keys(contenders));
  const samples = {};
  rounds = Number(process.env.OVERHEAD_ROUNDS ?? rounds);
  for (const transportName of only('OVERHEAD_TRANSPORTS', ['stub', 'loopback'])) {
    const transport = transportName === 'stub' ? stubTransport(M - 1) : await loopbackTransport(M - 1);
    samples[transportName] = Object.fromEntries(names.map((n) => [n, []]));
    try {
      for (let r = 0; r < warmup + rounds; r++) {
        if (r === warmup) measuredWindowUs.from = Math.min(measuredWindowUs.from, nowUs());
        for (const name of rotate(names, r)) {
          const sample = await measure(name, transport, r);
          if (r >= warmup) samples[transportName][name].push(sample);
        }
        if (r >= warmup) measuredWindowUs.to = nowUs();
      }
    } finally {
      await transport.close();
    }
  }
  gcObserver.disconnect();
  const method = { tasks: N, pollsPerTask: M, intervalMs: INTERVAL_MS, warmupRounds: warmup, rounds };
  writeFileSync(process.env.OVERHEAD_PHASE_OUT, JSON.stringify({ method, samples, measuredWindowUs }));
}

if (PHASE) {
  await runPhase(PHASES[PHASE]);
  process.exit(0);
}

// ---- orchestrator: a cpu run and an alloc run, then the report ----

const dir = mkdtempSync(join(tmpdir(), 'camb-rx-overhead-'));
const runs = {};
try {
  for (const phase of ['cpu', 'alloc']) {
    const out = join(dir, `${phase}.json`);
    const child = spawnSync(process.execPath, [...PHASES[phase].flags, fileURLToPath(import.meta.url)], {
      env: { ...process.env, OVERHEAD_PHASE: phase, OVERHEAD_PHASE_OUT: out, ...(baseline && { BENCH_BASELINE_COMMIT: baseline.commit }) },
      stdio: 'inherit',
      timeout: 15 * 60_000,
    });
    if (child.status !== 0) throw new Error(`overhead: the ${phase} run failed`);
    runs[phase] = JSON.parse(readFileSync(out, 'utf8'));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Per-round ratios to `hand` of the same round, summarised. */
const pairedRatio = (own, hand, key) => summarize(own.map((s, r) => s[key] / hand[r][key]));
const results = {};
for (const [transportName, byName] of Object.entries(runs.cpu.samples)) {
  results[transportName] = {};
  for (const [name, cpuSamples] of Object.entries(byName)) {
    const allocSamples = runs.alloc.samples[transportName][name];
    results[transportName][name] = {
      cpuUsPerPoll: summarize(cpuSamples.map((s) => s.cpuUs)),
      cpuRatioToHand: pairedRatio(cpuSamples, byName.hand, 'cpuUs'),
      cpuRatioToHandAbort: pairedRatio(cpuSamples, byName['hand+abort'], 'cpuUs'),
      gcsPerRound: mean(cpuSamples.map((s) => s.gcs)),
      wallMsPerRound: summarize(cpuSamples.map((s) => s.wallMs)),
      bytesPerPoll: summarize(allocSamples.map((s) => s.bytes)),
      bytesRatioToHand: pairedRatio(allocSamples, runs.alloc.samples[transportName].hand, 'bytes'),
      allocRoundsWithGc: allocSamples.filter((s) => s.gcs > 0).length,
    };
  }
}

// ---- report ----

/** Issue 11: the floor is hand+abort (cancellation is part of the contract); loopback ≤ 1.15×, stub ≤ 1.30×. */
const TARGETS = { loopback: 1.15, stub: 1.3 };
const { cpu, alloc } = { cpu: runs.cpu.method, alloc: runs.alloc.method };
console.log(`\n## Per-poll overhead — ${N} tasks × ${M} polls per round, interval ${INTERVAL_MS} ms`);
console.log(
  `CPU run: ${cpu.warmupRounds} warm-up + ${cpu.rounds} rounds, process.cpuUsage() per poll. ` +
    `Allocation run: ${alloc.warmupRounds} warm-up + ${alloc.rounds} rounds, JS-heap bytes allocated per poll (heapUsed delta, no GC inside a round).`,
);
console.log('µs and KiB: median (min–max) over rounds; ratios: median [interquartile range] of the per-round ratios ("× hand": to the hand-written loop of the same round)\n');
for (const [transportName, byName] of Object.entries(results)) {
  const rows = Object.entries(byName).map(([name, r]) => [
    name,
    range(r.cpuUsPerPoll, 1),
    iqr(r.cpuRatioToHand),
    iqr(r.cpuRatioToHandAbort),
    range({ median: r.bytesPerPoll.median / 1024, min: r.bytesPerPoll.min / 1024, max: r.bytesPerPoll.max / 1024 }, 1),
    iqr(r.bytesRatioToHand),
    fmt(r.gcsPerRound, 1),
    fmt(r.wallMsPerRound.median, 0),
  ]);
  console.log(`### ${transportName}`);
  console.log(table(['contender', 'CPU µs/poll', 'CPU × hand', 'CPU × hand+abort', 'heap KiB/poll', 'heap × hand', 'GCs/round', 'wall ms/round'], rows));
  const dirty = Object.entries(byName).filter(([, r]) => r.allocRoundsWithGc > 0);
  if (dirty.length > 0) console.log(`warning: a GC ran inside allocation rounds of ${dirty.map(([n]) => n).join(', ')}: their heap figures are lower bounds`);
  console.log();
}
const verdicts = Object.fromEntries(
  Object.entries(results).map(([transportName, byName]) => {
    const target = TARGETS[transportName];
    const of = (name) =>
      byName[name] && {
        cpuRatioToHandAbort: byName[name].cpuRatioToHandAbort.median,
        cpuRatioToHandAbortIqr: [byName[name].cpuRatioToHandAbort.q1, byName[name].cpuRatioToHandAbort.q3],
        cpuRatioToHand: byName[name].cpuRatioToHand.median,
        met: byName[name].cpuRatioToHandAbort.median <= target,
      };
    return [transportName, { target, stream: of('camb-rx'), engine: of('camb-rx mergeTasks'), met: of('camb-rx mergeTasks')?.met }];
  }),
);
for (const [transportName, v] of Object.entries(verdicts)) {
  for (const [label, r] of [['camb-rx mergeTasks', v.engine], ['camb-rx (transcriptionStatus$)', v.stream]]) {
    if (!r) continue;
    const [q1, q3] = r.cpuRatioToHandAbortIqr;
    console.log(`target ≤ ${v.target}× hand+abort (CPU, ${transportName}): ${label} ${fmt(r.cpuRatioToHandAbort, 2)}× hand+abort [IQR ${fmt(q1, 2)}–${fmt(q3, 2)}], ${fmt(r.cpuRatioToHand, 2)}× hand → ${r.met ? 'MET' : 'NOT MET'}`);
  }
}
writeResults('overhead', {
  method: {
    ...runs.cpu.method,
    allocationRounds: { warmup: alloc.warmupRounds, rounds: alloc.rounds },
    cpu: 'process.cpuUsage() per poll, default heap, rounds back to back (no forced gc)',
    allocation: 'heapUsed delta per poll, forced gc() before, 128 MiB semi-space so no GC inside a round',
    ratios: 'per-round ratio to hand / hand+abort of the same round; median, q1, q3 over rounds',
    baseline: baseline ? { ref: baseline.ref, commit: baseline.commit } : null,
  },
  results,
  target: verdicts,
});
