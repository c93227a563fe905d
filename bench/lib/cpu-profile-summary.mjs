// Summarises a V8 CPU profile (node --cpu-prof; e.g. BENCH_PROFILE_DIR for bench/distributed.mjs):
// busy time (all samples but idle), self time per package, and the inclusive time of the frames
// whose "function file" name matches one of the patterns given, each as a share of busy time.
//   node bench/lib/cpu-profile-summary.mjs profile.cpuprofile '^moveToActive ' '^fetch undici'
import { readFileSync } from 'node:fs';

const [file, ...patterns] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map(profile.nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node.id])));
const frameName = ({ callFrame: { functionName, url } }) => `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}`;
const packageOf = ({ callFrame: { functionName, url } }) =>
  /node_modules\/([^/]+)/.exec(url)?.[1] ?? (url.includes('/dist/') ? 'camb-rx' : url.startsWith('node:') ? 'node' : url ? url : functionName);

const selfTime = new Map();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
let total = 0;
let idle = 0;
const byPackage = new Map();
const inclusive = new Map();
for (const [id, time] of selfTime) {
  const node = nodes.get(id);
  total += time;
  if (node.callFrame.functionName === '(idle)') {
    idle += time;
    continue;
  }
  byPackage.set(packageOf(node), (byPackage.get(packageOf(node)) ?? 0) + time);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parents.get(at)) seen.add(frameName(nodes.get(at)));
  for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + time);
}
const busy = total - idle;
const rows = (entries) => [...entries].sort((a, b) => b[1] - a[1]).map(([name, time]) => `${((100 * time) / busy).toFixed(1).padStart(5)}%  ${name}`);
console.log(`busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s sampled\n\nself time per package, % of busy\n${rows(byPackage).slice(0, 12).join('\n')}`);
const matching = [...inclusive].filter(([name]) => patterns.some((pattern) => new RegExp(pattern).test(name)));
if (matching.length > 0) console.log(`\ninclusive time, % of busy\n${rows(matching).join('\n')}`);
