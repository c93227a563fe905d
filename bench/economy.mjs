// Benchmark 3 — request economy: how many status requests each polling policy spends per task, and
// how late it notices that a task has finished. Runs in VIRTUAL time, so it takes seconds, not hours.
//
// Method
// - Workload (seeded, mulberry32 seed 42): N = 2,000 tasks, all created at t = 0, durations
//   log-normal with median 60 s and σ = 0.8 (duration = 60 s · e^(0.8·z), z standard normal by
//   Box–Muller), clipped to [5 s, 30 min].
// - One `transcriptionStatus$` per task, on a heap-based virtual-time scheduler (bench/lib), with an
//   in-process stub fetch that answers PENDING until the task's finish time, then SUCCESS, at once
//   (no latency). Same library for every policy: only `interval` differs.
// - Policies: camb-rx's default cadence (no `interval`: DEFAULT_POLL_BACKOFF, printed in the
//   header); the previous default ({ initialMs: 2000, factor: 1.5, maxMs: 30_000, jitter: 0.2 },
//   replaced after this benchmark, kept for comparison); fixed 2 s, 5 s and 15 s; and an
//   AWS-waiter-style policy — @smithy/util-waiter's exponentialBackoffWithJitter with minDelay 2 s,
//   maxDelay 120 s: attempt n waits uniform(2 s, min(120 s, 2 s·2^(n−1))), and 120 s once
//   n > log2(120/2) + 1 (its maxWaitTime clamp is left out: the deadline here is far away).
// - Per task: requests = status requests sent; detection lag = (virtual time the stream emitted
//   SUCCESS) − (the task's finish time). Mean and p95 over tasks.
// - Rounds: the workload is fixed; the jittered policies draw new random numbers each round (camb-rx's
//   default uses Math.random; the waiter policy a seeded PRNG per round). Median (min–max) over rounds.
//   No warm-up: virtual time does not depend on CPU speed.
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_POLL_BACKOFF, transcriptionStatus$ } from 'camb-rx';
import { HeapScheduler } from './lib/heap-scheduler.mjs';
import { SMOKE, fmt, mean, mulberry32, percentile, range, summarize, table, writeResults } from './lib/common.mjs';

const N = SMOKE ? 50 : 2000;
const ROUNDS = SMOKE ? 1 : 3;
const SEED = 42;
const MEDIAN_MS = 60_000;
const SIGMA = 0.8;
const MIN_MS = 5_000;
const MAX_MS = 30 * 60_000;
const HORIZON_MS = MAX_MS + 10 * 60_000; // every policy has noticed by then (largest wait: 120 s)
/** Duration buckets for the breakdown: where each policy wins. */
const BUCKETS = [
  { name: '< 30 s', fromMs: 0, toMs: 30_000 },
  { name: '30 s – 2 min', fromMs: 30_000, toMs: 120_000 },
  { name: '2 – 10 min', fromMs: 120_000, toMs: 600_000 },
  { name: '≥ 10 min', fromMs: 600_000, toMs: Infinity },
];

/** Task durations: log-normal, clipped, from a seeded PRNG. */
function workload(n, seed) {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.min(MAX_MS, Math.max(MIN_MS, Math.round(MEDIAN_MS * Math.exp(SIGMA * z))));
  });
}

/** @smithy/util-waiter's delay for attempt n (1-based), in ms, with a given random source. */
function waiterInterval(minMs, maxMs, random) {
  const attemptCeiling = Math.log(maxMs / minMs) / Math.log(2) + 1;
  return ({ poll }) => {
    if (poll > attemptCeiling) return maxMs;
    const delay = Math.min(maxMs, minMs * 2 ** (poll - 1));
    return minMs + random() * (delay - minMs);
  };
}

const policies = {
  'camb-rx default': () => undefined,
  'previous default ×1.5→30 s': () => ({ initialMs: 2000, factor: 1.5, maxMs: 30_000, jitter: 0.2 }),
  'fixed 2 s': () => 2000,
  'fixed 5 s': () => 5000,
  'fixed 15 s': () => 15_000,
  'AWS waiter 2–120 s': (round) => waiterInterval(2000, 120_000, mulberry32(SEED + 1000 + round)),
};

/** Runs every task under one policy in virtual time; returns per-task requests and lags. */
async function simulate(durations, interval) {
  const scheduler = new HeapScheduler();
  const byId = new Map(durations.map((duration, i) => [`task-${i}`, { finishAt: duration, requests: 0, doneAt: undefined }]));
  const fetch = (url) => {
    const task = byId.get(url.slice(url.lastIndexOf('/') + 1));
    task.requests++;
    const done = scheduler.now() >= task.finishAt;
    return Promise.resolve(Response.json(done ? { status: 'SUCCESS', run_id: 1 } : { status: 'PENDING' }));
  };
  const options = { apiKey: 'bench-key', fetch, scheduler, timeoutMs: 2 * HORIZON_MS, ...(interval !== undefined && { interval }) };
  const failures = [];
  const subscriptions = [...byId].map(([id, task]) =>
    transcriptionStatus$(id, options).subscribe({
      next: (status) => {
        if (status.status === 'SUCCESS') task.doneAt = scheduler.now();
      },
      error: (error) => failures.push(error),
    }),
  );
  await scheduler.advance(HORIZON_MS);
  subscriptions.forEach((s) => s.unsubscribe());
  const tasks = [...byId.values()];
  if (failures.length > 0 || tasks.some((t) => t.doneAt === undefined || t.doneAt < t.finishAt)) {
    throw new Error(`economy: ${failures.length} errors, ${tasks.filter((t) => t.doneAt === undefined).length} tasks not done`);
  }
  const requests = tasks.map((t) => t.requests);
  const lagsS = tasks.map((t) => (t.doneAt - t.finishAt) / 1000);
  const inBucket = (b) => tasks.filter((t) => t.finishAt >= b.fromMs && t.finishAt < b.toMs);
  return {
    byDuration: Object.fromEntries(
      BUCKETS.map((b) => {
        const list = inBucket(b);
        return [b.name, { tasks: list.length, requestsMean: mean(list.map((t) => t.requests)), lagMeanS: mean(list.map((t) => (t.doneAt - t.finishAt) / 1000)) }];
      }),
    ),
    requestsMean: mean(requests),
    requestsP95: percentile(requests, 95),
    lagMeanS: mean(lagsS),
    lagP95S: percentile(lagsS, 95),
    totalRequests: requests.reduce((a, b) => a + b, 0),
  };
}

const durations = workload(N, SEED);
const durationsS = durations.map((d) => d / 1000);
const samples = Object.fromEntries(Object.keys(policies).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, intervalFor] of Object.entries(policies)) samples[name].push(await simulate(durations, intervalFor(round)));
}
const results = Object.fromEntries(
  Object.entries(samples).map(([name, list]) => [
    name,
    {
      ...Object.fromEntries(Object.keys(list[0]).filter((k) => k !== 'byDuration').map((key) => [key, summarize(list.map((s) => s[key]))])),
      // Per duration bucket: the median round's figures (jitter moves them by little).
      byDuration: Object.fromEntries(
        BUCKETS.map((b) => [
          b.name,
          {
            tasks: list[0].byDuration[b.name].tasks,
            requestsMean: summarize(list.map((s) => s.byDuration[b.name].requestsMean)).median,
            lagMeanS: summarize(list.map((s) => s.byDuration[b.name].lagMeanS)).median,
          },
        ]),
      ),
    },
  ]),
);

console.log(`\n## Request economy — ${N.toLocaleString('en-US')} tasks in virtual time, ${ROUNDS} rounds`);
console.log(
  `durations: log-normal, median ${MEDIAN_MS / 1000} s, σ ${SIGMA}, clipped ${MIN_MS / 1000} s–${MAX_MS / 60_000} min, seed ${SEED} → ` +
    `p50 ${fmt(percentile(durationsS, 50), 0)} s, mean ${fmt(mean(durationsS), 0)} s, p95 ${fmt(percentile(durationsS, 95), 0)} s, max ${fmt(Math.max(...durationsS), 0)} s`,
);
console.log(`camb-rx default = DEFAULT_POLL_BACKOFF ${JSON.stringify(DEFAULT_POLL_BACKOFF)}`);
console.log('median (min–max) over rounds; lag = from the task finishing to the stream emitting SUCCESS\n');
const base = results['camb-rx default'];
console.log(
  table(
    ['policy', 'requests/task mean', 'requests/task p95', 'lag mean (s)', 'lag p95 (s)', 'total requests', 'requests × default'],
    Object.entries(results).map(([name, r]) => [
      name,
      range(r.requestsMean, 1),
      range(r.requestsP95, 0),
      range(r.lagMeanS, 1),
      range(r.lagP95S, 1),
      fmt(r.totalRequests.median, 0),
      `${fmt(r.requestsMean.median / base.requestsMean.median, 2)}×`,
    ]),
  ),
);
console.log('\nBy task duration — mean requests per task / mean lag (s), median over rounds\n');
console.log(
  table(
    ['policy', ...BUCKETS.map((b) => `${b.name} (${results['camb-rx default'].byDuration[b.name].tasks} tasks)`)],
    Object.entries(results).map(([name, r]) => [
      name,
      ...BUCKETS.map((b) => {
        const bucket = r.byDuration[b.name];
        return bucket.tasks === 0 ? '–' : `${fmt(bucket.requestsMean, 1)} req / ${fmt(bucket.lagMeanS, 1)} s`;
      }),
    ]),
  ),
);
if (!SMOKE) console.log(`\n${await plot(results)}`);
writeResults('economy', {
  method: { tasks: N, rounds: ROUNDS, seed: SEED, defaultPollBackoff: DEFAULT_POLL_BACKOFF, durations: { distribution: 'log-normal', medianMs: MEDIAN_MS, sigma: SIGMA, minMs: MIN_MS, maxMs: MAX_MS } },
  workload: { p50S: percentile(durationsS, 50), meanS: mean(durationsS), p95S: percentile(durationsS, 95), maxS: Math.max(...durationsS) },
  results,
});

/**
 * The trade-off as a picture: mean (filled) and p95 (hollow) requests per task against detection
 * lag, one colour per policy. Written as SVG by hand; turned into a PNG by the Chromium the browser
 * tests use (Debian's /usr/bin/chromium through playwright-core), when it is there.
 */
async function plot(byPolicy) {
  const W = 760, H = 440, L = 70, R = 200, T = 40, B = 60;
  const points = Object.entries(byPolicy).map(([name, r]) => ({
    name,
    mean: [r.requestsMean.median, r.lagMeanS.median],
    p95: [r.requestsP95.median, r.lagP95S.median],
  }));
  const maxX = Math.max(...points.map((p) => p.p95[0])) * 1.08;
  const maxY = Math.max(...points.map((p) => p.p95[1])) * 1.08;
  const x = (v) => L + (v / maxX) * (W - L - R);
  const y = (v) => H - B - (v / maxY) * (H - T - B);
  const colours = ['#1b6ac9', '#8c8c8c', '#d1495b', '#edae49', '#00798c', '#6a4c93'];
  const ticks = (max, n = 5) => Array.from({ length: n + 1 }, (_, i) => (max / n) * i);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="22" font-size="15" font-weight="bold">Polling policies: requests per task vs detection lag (${N} tasks)</text>`,
    ...ticks(maxX).map((v) => `<line x1="${x(v)}" y1="${T}" x2="${x(v)}" y2="${H - B}" stroke="#eee"/><text x="${x(v)}" y="${H - B + 16}" text-anchor="middle">${v.toFixed(0)}</text>`),
    ...ticks(maxY).map((v) => `<line x1="${L}" y1="${y(v)}" x2="${W - R}" y2="${y(v)}" stroke="#eee"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`),
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
    `<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle">status requests per task (filled: mean, hollow: p95)</text>`,
    `<text transform="translate(18 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">detection lag, s (filled: mean, hollow: p95)</text>`,
    ...points.flatMap((p, i) => [
      `<line x1="${x(p.mean[0])}" y1="${y(p.mean[1])}" x2="${x(p.p95[0])}" y2="${y(p.p95[1])}" stroke="${colours[i]}" stroke-dasharray="3 3"/>`,
      `<circle cx="${x(p.mean[0])}" cy="${y(p.mean[1])}" r="6" fill="${colours[i]}"/>`,
      `<circle cx="${x(p.p95[0])}" cy="${y(p.p95[1])}" r="6" fill="white" stroke="${colours[i]}" stroke-width="2"/>`,
      `<circle cx="${W - R + 20}" cy="${T + 10 + i * 22}" r="6" fill="${colours[i]}"/><text x="${W - R + 32}" y="${T + 14 + i * 22}">${p.name}</text>`,
    ]),
    '</svg>',
  ].join('\n');
  const svgPath = fileURLToPath(new URL('./economy.svg', import.meta.url));
  writeFileSync(svgPath, svg);
  const chromium = '/usr/bin/chromium';
  if (!existsSync(chromium)) return `plot: ${svgPath} (no PNG: ${chromium} is not installed)`;
  const { chromium: launcher } = await import('playwright-core');
  const browser = await launcher.launch({
    executablePath: chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    timeout: 30_000,
  });
  try {
    const page = await browser.newPage({ viewport: { width: W, height: H } });
    await page.setContent(svg, { timeout: 10_000 });
    const pngPath = fileURLToPath(new URL('./economy.png', import.meta.url));
    await page.screenshot({ path: pngPath, timeout: 10_000 });
    return `plot: ${svgPath} and ${pngPath} (rendered by ${chromium})`;
  } finally {
    await browser.close();
  }
}
