// `npm run bench`: every benchmark, one after the other, each in its own process (own heap, own
// V8 flags), then a short summary from bench/results.json. BENCH_SMOKE=1 makes each one tiny.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULTS_PATH, fmt, machine } from './lib/common.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const BENCHMARKS = ['overhead', 'profile', 'scale', 'economy', 'cadence-cost', 'size'];

// The benchmarks measure the BUILT package: refuse a missing dist, warn about a stale one.
const dist = join(root, 'dist/index.js');
if (!existsSync(dist)) {
  console.error('dist/index.js is missing: build first (npx rollup -c, or npm run build)');
  process.exit(1);
}
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
if (newest(join(root, 'src')) > statSync(dist).mtimeMs) console.warn('warning: src/ is newer than dist/ — rebuild (npx rollup -c) to measure the current code');

const m = machine();
console.log(`# camb-rx benchmarks — ${m.cpu} × ${m.cores}, ${m.memGiB} GiB, Node ${m.node}, ${m.platform}; load ${m.loadavg.join(' ')}`);
const failed = [];
for (const name of BENCHMARKS) {
  const run = spawnSync(process.execPath, [join(root, 'bench', `${name}.mjs`)], { stdio: 'inherit', timeout: 20 * 60_000 });
  if (run.status !== 0) failed.push(name);
}

// Headline figures, read back from results.json (never typed by hand).
const r = JSON.parse(readFileSync(RESULTS_PATH, 'utf8'));
console.log('\n# Summary');
for (const [transport, v] of Object.entries(r.overhead?.target ?? {})) {
  console.log(`- overhead (${transport}): CPU per poll, mergeTasks ${fmt(v.engine.cpuRatioToHandAbort, 2)}× hand+abort, transcriptionStatus$ ${fmt(v.stream.cpuRatioToHandAbort, 2)}× (target ≤ ${v.target}×: ${v.met ? 'met' : 'not met'})`);
}
if (r.scale) {
  for (const [sizes, t] of Object.entries(r.scale.targets.marginalHeap)) console.log(`- scale: ${fmt(t.kib, 2)} KiB heap per added watched task (${sizes})`);
  console.log(`- scale: longest event-loop block while ${r.scale.method.burstSize} ids arrive: ${fmt(r.scale.targets.burstBlock.ms, 1)} ms`);
}
if (r.economy) {
  for (const [name, w] of Object.entries(r.economy.results)) {
    if (!w.policies) continue;
    const a = w.policies['adaptive 5 s'];
    console.log(`- economy: ${name}: adaptive 5 s ${fmt(a.requests, 1)} requests/task at ${fmt(a.lagS, 1)} s mean lag, ${fmt(a.ratio, 2)}× the oracle`);
  }
}
if (r['cadence-cost']) console.log(`- cadence cost: ${fmt(r['cadence-cost'].results.overheadPercent.median, 1)} % CPU for 10,000 tasks sharing one adaptive cadence`);
if (r.size) for (const [name, s] of Object.entries(r.size.results)) console.log(`- size: ${name}: ${fmt(s.gzipBytes / 1000, 1)} kB min+gzip (${s.target})`);
console.log(`\nresults: ${RESULTS_PATH}`);
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
