// Where the per-poll time of camb-rx goes: runs one transport of the overhead benchmark under
// `node --cpu-prof`, once with only one camb-rx contender and once with only a floor loop (same
// polls), then reads the .cpuprofile files and reports
//   - self time per poll by where the code lives (camb-rx, rxjs, zod, Node internals, GC, …),
//     for both, so the difference shows what camb-rx adds;
//   - the top self-time functions of the camb-rx run, camb-rx's own lines mapped back to src/ via
//     dist/index.js.map.
// Self time of a function = sum of the sampling intervals whose sample landed in it (not its callees).
// Which run: PROFILE_TRANSPORT (stub | loopback, default stub), PROFILE_CONTENDER (default camb-rx;
// e.g. "camb-rx mergeTasks"), PROFILE_FLOOR (default hand; e.g. hand+abort), e.g.
//   PROFILE_TRANSPORT=loopback PROFILE_CONTENDER='camb-rx mergeTasks' PROFILE_FLOOR=hand+abort npm run bench:profile
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, table, writeResults } from './lib/common.mjs';

const TOP = 15;
const TRANSPORT = process.env.PROFILE_TRANSPORT ?? 'stub';
const CONTENDER = process.env.PROFILE_CONTENDER ?? 'camb-rx';
const FLOOR = process.env.PROFILE_FLOOR ?? 'hand';
const overheadScript = fileURLToPath(new URL('./overhead.mjs', import.meta.url));
const distUrl = new URL('../dist/', import.meta.url).href;

/** Runs overhead.mjs for one contender under --cpu-prof; returns the parsed profile and the polls it made. */
function profileOf(contender) {
  const dir = mkdtempSync(join(tmpdir(), 'camb-rx-prof-'));
  try {
    const flags = ['--cpu-prof', `--cpu-prof-dir=${dir}`]; // default heap, no forced GC (the 'profile' run)
    const run = spawnSync(process.execPath, [...flags, overheadScript], {
      env: {
        ...process.env,
        OVERHEAD_PHASE: 'profile',
        OVERHEAD_PHASE_OUT: join(dir, 'run.json'),
        OVERHEAD_CONTENDERS: contender,
        OVERHEAD_TRANSPORTS: TRANSPORT,
      },
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (run.status !== 0) throw new Error(`profiling ${contender} failed: ${run.stderr}`);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    const { method, measuredWindowUs } = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    const polls = method.rounds * method.tasks * method.pollsPerTask;
    return { profile: JSON.parse(readFileSync(join(dir, file), 'utf8')), polls, window: measuredWindowUs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where a profile node's code lives. */
function categoryOf({ functionName, url }) {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)' || functionName === '(root)') return 'V8/native (program)';
  if (url.includes('/node_modules/rxjs/')) return 'rxjs';
  if (url.includes('/node_modules/zod/')) return 'zod';
  if (url.startsWith(distUrl)) return 'camb-rx';
  if (url.includes('/bench/')) return 'bench harness + stub';
  if (url.startsWith('node:') || url === '') return 'Node internals (undici, streams, timers, …)';
  return 'other';
}

/**
 * Self microseconds per profile node id, counting only samples inside the measured rounds (start-up,
 * module loading and warm-up are left out). Sample times are profile.startTime + the running sum
 * of timeDeltas, on the monotonic clock overhead.mjs read its window from.
 */
function selfTimes(profile, window) {
  const self = new Map();
  let at = profile.startTime;
  let kept = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < window.from || at > window.to) return;
    kept++;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  if (kept === 0) throw new Error('profile: no sample inside the measured window (clock mismatch?)');
  return self;
}

const sourceMaps = new Map();
/** The source map of a dist file (index.js and its chunks), or null. */
function sourceMapOf(url) {
  if (!sourceMaps.has(url)) {
    const file = `${fileURLToPath(url)}.map`;
    sourceMaps.set(url, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null);
  }
  return sourceMaps.get(url);
}
/** "src/…:line" for a camb-rx dist position (through dist's source maps), else "file:line". */
function whereOf({ url, lineNumber, columnNumber }) {
  if (url.startsWith(distUrl) && url.endsWith('.js')) {
    const entry = sourceMapOf(url)?.findEntry(lineNumber, Math.max(0, columnNumber));
    if (entry?.originalSource) return `${entry.originalSource.replace(/^.*?\/src\//, 'src/')}:${entry.originalLine + 1}`;
  }
  const short = url.replace(/^file:\/\/.*\/node_modules\//, '').replace(/^file:\/\/.*\/(bench|dist)\//, '$1/');
  return `${short || '(native)'}:${lineNumber + 1}`;
}

function analyse({ profile, polls: POLLS, window }) {
  const self = selfTimes(profile, window);
  // For each node, its nearest camb-rx frame up the stack: who in camb-rx caused this work.
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const nearestOwn = (node) => {
    for (let n = node, depth = 0; n && depth < 200; n = parentOf.get(n.id), depth++) {
      if (categoryOf(n.callFrame) === 'camb-rx') return `${n.callFrame.functionName || '(anonymous)'} ${whereOf(n.callFrame)}`;
    }
    return '–';
  };
  const byCategory = {};
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    const category = categoryOf(node.callFrame);
    byCategory[category] = (byCategory[category] ?? 0) + us;
    const key = `${node.callFrame.functionName || '(anonymous)'}\t${whereOf(node.callFrame)}\t${category}`;
    const entry = byFunction.get(key) ?? { us: 0, callers: new Map() };
    entry.us += us;
    const caller = nearestOwn(node);
    entry.callers.set(caller, (entry.callers.get(caller) ?? 0) + us);
    byFunction.set(key, entry);
  }
  const functions = [...byFunction].map(([key, { us, callers }]) => {
    const [name, where, category] = key.split('\t');
    const [[calledFrom]] = [...callers].sort((a, b) => b[1] - a[1]);
    return { name, where, category, usPerPoll: us / POLLS, calledFrom };
  });
  functions.sort((a, b) => b.usPerPoll - a.usPerPoll);
  return { polls: POLLS, byCategory: Object.fromEntries(Object.entries(byCategory).map(([c, us]) => [c, us / POLLS])), functions };
}

const camb = analyse(profileOf(CONTENDER));
const hand = analyse(profileOf(FLOOR));

console.log(`\n## Profile of ${CONTENDER} against ${FLOOR} (node --cpu-prof, ${TRANSPORT} transport, samples of the ${camb.polls.toLocaleString('en-US')} measured polls; start-up and warm-up left out)`);
console.log('Self time per poll (µs) by where the code lives; "idle" is time waiting for timers\n');
const categories = [...new Set([...Object.keys(camb.byCategory), ...Object.keys(hand.byCategory)])].sort(
  (a, b) => (camb.byCategory[b] ?? 0) - (camb.byCategory[a] ?? 0),
);
const busy = (r) => Object.entries(r.byCategory).reduce((sum, [c, us]) => (c === 'idle' ? sum : sum + us), 0);
console.log(
  table(
    ['where', `${CONTENDER} µs/poll`, `${FLOOR} µs/poll`, 'difference'],
    [
      ...categories.map((c) => [c, fmt(camb.byCategory[c] ?? 0, 1), fmt(hand.byCategory[c] ?? 0, 1), fmt((camb.byCategory[c] ?? 0) - (hand.byCategory[c] ?? 0), 1)]),
      ['total (busy, without idle)', fmt(busy(camb), 1), fmt(busy(hand), 1), fmt(busy(camb) - busy(hand), 1)],
    ],
  ),
);
const row = (f) => [f.name, f.where, f.category, fmt(f.usPerPoll, 2), f.calledFrom];
const own = camb.functions.filter((f) => ['camb-rx', 'rxjs', 'zod'].includes(f.category));
console.log(`\n### Top ${TOP} self-time functions in camb-rx + rxjs + zod (${CONTENDER} run)`);
console.log(table(['function', 'where', 'package', 'self µs/poll', 'mostly under (nearest camb-rx frame)'], own.slice(0, TOP).map(row)));
// Self time per file of camb-rx (src/, through the source map) and of rxjs: which parts of the pipeline cost.
const byFile = new Map();
for (const f of own) {
  const file = `${f.category}: ${f.where.replace(/:\d+$/, '').replace('rxjs/dist/cjs/internal/', '')}`;
  byFile.set(file, (byFile.get(file) ?? 0) + f.usPerPoll);
}
const files = [...byFile].sort((a, b) => b[1] - a[1]);
console.log(`\n### Self time by file, camb-rx + rxjs + zod (${CONTENDER} run), top ${TOP}`);
console.log(table(['file', 'self µs/poll'], files.slice(0, TOP).map(([file, us]) => [file, fmt(us, 2)])));
console.log(`\n### Top ${TOP} self-time functions overall (${CONTENDER} run, idle excluded)`);
console.log(table(['function', 'where', 'package', 'self µs/poll', 'mostly under (nearest camb-rx frame)'], camb.functions.filter((f) => f.category !== 'idle').slice(0, TOP).map(row)));

writeResults('profile', {
  method: { transport: TRANSPORT, contender: CONTENDER, floor: FLOOR, polls: camb.polls, selfTime: 'sum of sampling intervals per function (node --cpu-prof)' },
  cambRx: { byCategoryUsPerPoll: camb.byCategory, byFileUsPerPoll: Object.fromEntries(files), topFunctions: camb.functions.slice(0, 40) },
  floor: { byCategoryUsPerPoll: hand.byCategory, topFunctions: hand.functions.slice(0, 20) },
});
