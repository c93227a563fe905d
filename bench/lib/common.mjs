// Shared helpers for the benchmarks: flags, statistics, tables, machine facts and results.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/** BENCH_SMOKE=1: one tiny round of everything, only to prove the scripts still run. */
export const SMOKE = process.env.BENCH_SMOKE === '1';

/** The load average when this benchmark started (the machine is shared: say how busy it was). */
const loadAtStart = os.loadavg().map((l) => Number(l.toFixed(2)));

/** Where results go: BENCH_OUT, else bench/results.json. */
export const RESULTS_PATH = process.env.BENCH_OUT ?? fileURLToPath(new URL('../results.json', import.meta.url));

/**
 * Re-runs the calling script with the V8/Node flags it needs (e.g. --expose-gc) unless they are
 * already set, so `node bench/x.mjs` works as well as the npm scripts. Exits with the child's code.
 */
export function ensureFlags(flags, scriptUrl) {
  const missing = flags.filter((flag) => !process.execArgv.includes(flag));
  if (missing.length === 0) return;
  const child = spawnSync(process.execPath, [...process.execArgv, ...missing, fileURLToPath(scriptUrl), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}

/** Sorted copy. */
const sorted = (values) => [...values].sort((a, b) => a - b);

/** Nearest-rank percentile of `values`, p in [0, 100]. */
export function percentile(values, p) {
  const s = sorted(values);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** The `q` quantile (0–1) of sorted values, interpolated between the two nearest ranks. */
function quantile(s, q) {
  const at = (s.length - 1) * q;
  const below = Math.floor(at);
  return below + 1 < s.length ? s[below] + (s[below + 1] - s[below]) * (at - below) : s[below];
}

/** Median, quartiles (q1, q3: the IQR), min and max over rounds. */
export function summarize(values) {
  const s = sorted(values);
  return { median: quantile(s, 0.5), q1: quantile(s, 0.25), q3: quantile(s, 0.75), min: s[0], max: s[s.length - 1], rounds: s.length };
}

/** A number with `digits` decimals (or an integer with thousands separators). */
export function fmt(value, digits = 1) {
  if (!Number.isFinite(value)) return String(value);
  return digits === 0 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
}

/** "median (min–max)" of a summary. */
export const range = (summary, digits = 1) => `${fmt(summary.median, digits)} (${fmt(summary.min, digits)}–${fmt(summary.max, digits)})`;

/** "median [q1–q3]" of a summary: the median and its interquartile range. */
export const iqr = (summary, digits = 2) => `${fmt(summary.median, digits)} [${fmt(summary.q1, digits)}–${fmt(summary.q3, digits)}]`;

/** A Markdown table, columns padded so it also reads well in a terminal. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** The machine, as BENCHMARKS.md reports it. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadavg: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** Which build was measured: dist/index.js's time and the git commit it sits on (src may have moved on). */
function build() {
  const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout?.trim();
  return { distBuiltAt: existsSync(dist) ? statSync(dist).mtime.toISOString() : null, gitHead: head || null };
}

/** Stores one benchmark's results under `key` in results.json, keeping the other benchmarks'. */
export function writeResults(key, data) {
  const all = existsSync(RESULTS_PATH) ? JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) : {};
  all[key] = { ...data, smoke: SMOKE, machine: machine(), build: build(), loadavgAtStart: loadAtStart, finishedAt: new Date().toISOString() };
  writeFileSync(RESULTS_PATH, `${JSON.stringify(all, null, 2)}\n`);
}

/** Seeded PRNG (mulberry32, as in camb-rx/testing): same seed, same sequence. */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Rejects after `ms` with `what` unless `promise` settles first: every run is bounded. */
export function withDeadline(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Rotates `items` by `r`: round r starts with a different contender, so order effects cancel out. */
export const rotate = (items, r) => items.map((_, i) => items[(i + r) % items.length]);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the in-process stubs of the benchmarks answer with: a `Response` with `body` as JSON after
 * `latencyMs` (a real timer: async latency without sockets), or a rejection with the signal's
 * reason when the request is aborted first (its timer and listener then gone).
 */
export function answerAfter(latencyMs, body, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => (clearTimeout(timer), reject(signal.reason));
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve(Response.json(body))), latencyMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
