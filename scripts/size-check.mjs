/**
 * Bundle-size check: what camb-rx adds to an app's bundle, measured on the build (`npm run build`
 * first). Each case is bundled with rollup + @rollup/plugin-node-resolve + terser, as an app's
 * bundler would (browser export conditions; node ones for the CLI): rxjs stays out (a peer the
 * app bundles anyway), as do cross-fetch (an optional peer, only loaded lazily where there is no
 * fetch) and node: built-ins; zod goes in. (bench/size.mjs compares with CAMB's SDK; this is
 * the CI gate.)
 * Prints min and min+gzip (level 9) bytes; exits 1 when a case is over its limit.
 *
 *   node scripts/size-check.mjs [--limits size-limit.json] [--excludes <regex>]
 *
 * `--excludes` replaces the single stream's pattern of excluded modules (`--excludes src/` lists
 * every camb-rx module in its bundle, as failures).
 *
 * The limits file maps case names to min+gzip bytes, e.g. `{ "transcriptionStatus$": 9000 }`;
 * a case without a limit is only reported.
 *
 * The single stream's bundle must also stay free of the features it does not use: through the
 * source maps (dist/*.js.map), every src/ module whose code is in the bundle is known, and one the
 * case excludes (the budget, mergeTasks, the transcription functions, the client, the engine, the
 * learning cadence, …) fails the check, naming it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';

const root = new URL('../', import.meta.url);
const dist = (file) => new URL(`dist/${file}`, root).pathname;
const entryId = '\0size-check-entry';

/** What is measured: an app's entry module (`code`), or a built file as it is (`input`), for a target. */
const cases = [
  {
    name: 'transcriptionStatus$',
    code: `export { transcriptionStatus$ } from ${JSON.stringify(dist('index.js'))};`,
    target: 'browser',
    // Only the fixed default schedule of src/cadence/ belongs to a single stream, not the learning cadence.
    excludes: /(^|\/)src\/((budget|merge|transcription|client|engine|operators|bullmq|cli|node|angular|testing)\/|cadence\/(?!standalone-|poll-cadence\.))/,
  },
  { name: 'everything (export *)', code: `export * from ${JSON.stringify(dist('index.js'))};`, target: 'browser' },
  { name: 'CLI (dist/cli.js)', input: dist('cli.js'), target: 'node' },
];

const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
const external = (id) => /^(rxjs|cross-fetch)(\/|$)/.test(id) || builtins.has(id);

/** Bundles and minifies one case; returns its sizes in bytes. */
async function measure({ name, code, input, target, excludes }) {
  const entry = { name: 'size-check-entry', resolveId: (id) => (id === entryId ? id : null), load: (id) => (id === entryId ? code : null) };
  // The built files come with their source maps, so the bundle's map names the src/ modules in it.
  const withMaps = {
    name: 'dist-source-maps',
    load: (id) => (id.startsWith(dist('')) && existsSync(`${id}.map`) ? { code: readFileSync(id, 'utf8'), map: readFileSync(`${id}.map`, 'utf8') } : null),
  };
  const bundle = await rollup({
    input: input ?? entryId,
    external,
    plugins: [...(code ? [entry] : []), withMaps, nodeResolve({ browser: target === 'browser', exportConditions: [target] }), terser({ compress: { passes: 2 }, format: { comments: false } })],
    onwarn: (warning) => {
      // Dependencies' own quirks (zod's misplaced annotations, cycles) are not ours to report.
      if (warning.code !== 'CIRCULAR_DEPENDENCY' && !warning.id?.includes('/node_modules/')) console.warn(`${name}: ${warning.message}`);
    },
  });
  try {
    const { output } = await bundle.generate({ format: 'es', sourcemap: true });
    const chunk = output.find((item) => item.type === 'chunk' && item.isEntry);
    const min = Buffer.byteLength(chunk.code);
    const excluded = excludes ? chunk.map.sources.filter((source) => excludes.test(source)).map((source) => source.replace(/^(.*\/)?src\//, 'src/')) : [];
    return { name, min, gzip: gzipSync(chunk.code, { level: 9 }).length, excluded };
  } finally {
    await bundle.close();
  }
}

/** The cases over their limit, or holding modules they exclude, as messages. */
function problemsOf(results, limits) {
  const over = results
    .filter(({ name, gzip }) => typeof limits[name] === 'number' && gzip > limits[name])
    .map(({ name, gzip }) => `${name}: ${gzip} B min+gzip is over its limit of ${limits[name]} B`);
  const dragged = results
    .filter(({ excluded }) => excluded.length > 0)
    .map(({ name, excluded }) => `${name}: the bundle holds modules it must not need: ${excluded.join(', ')}`);
  return [...over, ...dragged];
}

/** The results as a text table. */
function table(results, limits) {
  const rows = [['bundle', 'min', 'min+gzip', 'limit'], ...results.map(({ name, min, gzip }) => [name, min, gzip, limits[name] ?? '-'])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? String(cell).padEnd(widths[0]) : String(cell).padStart(widths[column]))).join('  ')).join('\n');
}

async function main() {
  const { values } = parseArgs({ options: { limits: { type: 'string', default: new URL('size-limit.json', root).pathname }, excludes: { type: 'string' } } });
  if (values.excludes !== undefined) cases[0].excludes = new RegExp(values.excludes);
  if (!existsSync(dist('index.js'))) throw new Error('size-check: no dist/index.js; run `npm run build` first');
  const limits = JSON.parse(readFileSync(values.limits, 'utf8'));
  const results = [];
  for (const sizeCase of cases) results.push(await measure(sizeCase));
  console.log(table(results, limits));
  console.log('(bytes; rxjs, cross-fetch and node: built-ins external; zod bundled; terser, gzip level 9)');
  const problems = problemsOf(results, limits);
  for (const problem of problems) console.error(`size-check: ${problem}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
