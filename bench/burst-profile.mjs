// Where a burst of ids goes: `from(ids).pipe(mergeTasks(...))` with N ids at once and a 5 ms stub
// (every task answers SUCCESS at its first read), under the V8 CPU profiler, for this build and,
// with BENCH_BASELINE=<ref>, for camb-rx built from that ref. Prints the wall time until the
// stream completed and the top self-time functions. Not part of `npm run bench`:
//   BENCH_BASELINE=main node bench/burst-profile.mjs 10000 20000 40000
import { Session } from 'node:inspector/promises';
import { from } from 'rxjs';
import { mergeTasks } from 'camb-rx';
import { loadBaseline } from './lib/baseline.mjs';
import { fmt, table } from './lib/common.mjs';

const sizes = process.argv.slice(2).map(Number);
const baseline = await loadBaseline();
const contenders = [{ name: 'camb-rx', mergeTasks }, ...(baseline ? [{ name: `baseline ${baseline.ref} (${baseline.commit})`, mergeTasks: baseline.module.mergeTasks }] : [])];
const session = new Session();
session.connect();
await session.post('Profiler.enable');

/** Self time per function (ms) from a V8 CPU profile. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

for (const contender of contenders) {
  for (const size of sizes) {
    const ids = Array.from({ length: size }, (_, i) => `b${size}-${i}`);
    const fetch = () => new Promise((resolve) => setTimeout(() => resolve(Response.json({ status: 'SUCCESS', run_id: 1 })), 5));
    await session.post('Profiler.start');
    const t0 = performance.now();
    await new Promise((resolve, reject) =>
      from(ids)
        .pipe(contender.mergeTasks({ apiKey: 'bench-key', fetch, maxConcurrentRequests: Infinity, maxRequestsPerSecond: Infinity }))
        .subscribe({ error: reject, complete: resolve }),
    );
    const wallMs = performance.now() - t0;
    const { profile } = await session.post('Profiler.stop');
    console.log(`\n### ${contender.name}: ${size.toLocaleString('en-US')} ids at once — done after ${fmt(wallMs, 0)} ms\n`);
    console.log(table(['function', 'self ms'], selfTimes(profile).slice(0, 8).map(([name, ms]) => [name, fmt(ms, 0)])));
  }
}
session.disconnect();
