// Benchmark 4 — bundle size: what an app pays in bytes, min+gzip, for camb-rx and for the official SDK.
//
// Method
// - Each case is an entry module bundled by rollup (ESM, tree-shaken) with
//   @rollup/plugin-node-resolve, then minified by terser (compress + mangle, module: true,
//   2 passes) and gzipped at level 9 (node:zlib). Reported: rollup's output, minified, min+gzip.
// - camb-rx is bundled from the BUILT package (`import … from 'camb-rx'` → dist/index.js) with rxjs
//   external (a peer dependency the app already has) and zod bundled; browser export conditions.
//   One extra row bundles rxjs too, for an app that does not use rxjs yet.
// - The CLI is dist/cli.js bundled for Node (node: built-ins external, rxjs external, zod bundled).
// - @camb-ai/sdk 1.0.1: its transcription client (dist/api/resources/transcription/client/Client.js,
//   what `client.transcription` is) and its root entry, each tried for the browser first; an entry
//   that imports Node built-ins (the root imports node:fs) fails that and is bundled for Node
//   (built-ins external) instead — the table says which.
// - Breakdown (camb-rx rows): every byte of terser's output is attributed through the source-map
//   chain (src/*.ts → dist/*.js, loaded with its map → rollup → terser) to the module it came from;
//   a module's min+gzip share is the bundle's min+gzip size spread in proportion to its minified
//   text gzipped alone (bench/lib/bundle-breakdown.mjs). Dependencies are named by their file.
// - zod/mini alone: the smallest object schema with safeParse, the floor of validating with zod/mini;
//   zod/v4/core alone: the same schema built on zod's core (as the status body is), the floor with zod.
// - Deterministic: one round; nothing to warm up.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minify } from 'terser';
import { breakdown, byPackage } from './lib/bundle-breakdown.mjs';
import { SMOKE, fmt, table, writeResults } from './lib/common.mjs';

const ENTRY = '\0bench-entry';
const isBuiltin = (id) => id.startsWith('node:') || builtinModules.includes(id);
const isRxjs = (id) => id === 'rxjs' || id.startsWith('rxjs/');
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

const cases = [
  { name: 'camb-rx: { transcriptionStatus$ }', code: "export { transcriptionStatus$ } from 'camb-rx';", target: 'browser', external: isRxjs, breakdown: true },
  { name: 'camb-rx: everything (export *)', code: "export * from 'camb-rx';", target: 'browser', external: isRxjs, full: true, breakdown: true },
  {
    name: 'camb-rx: { transcriptionStatus$ } + rxjs bundled',
    code: "export { transcriptionStatus$ } from 'camb-rx';",
    target: 'browser',
    external: () => false,
    full: true,
    breakdown: true,
  },
  // The CLI file itself is the entry (as an import it would be tree-shaken away: camb-rx has sideEffects: false).
  { name: 'camb-rx CLI (dist/cli.js)', input: `${DIST}cli.js`, target: 'node', external: isRxjs, full: true, breakdown: true },
  // The floor of validating with zod/mini at all: the smallest object schema and its safeParse.
  {
    name: 'zod/mini alone: z.object({ status: z.string() }).safeParse',
    code: "import * as z from 'zod/mini'; const body = z.object({ status: z.string() }); export const parse = (json) => body.safeParse(json);",
    target: 'browser',
    external: () => false,
  },
  // The same through zod's core, as camb-rx's status body is built: without zod/mini's methods on every schema.
  {
    name: 'zod/v4/core alone: $ZodObject({ status: $ZodString }) + safeParse',
    code: "import * as z from 'zod/v4/core'; const body = new z.$ZodObject({ type: 'object', shape: { status: new z.$ZodString({ type: 'string' }) } }); export const parse = (json) => z.safeParse(body, json);",
    target: 'browser',
    external: () => false,
  },
  {
    name: '@camb-ai/sdk: transcription client',
    code: "export { TranscriptionClient } from '@camb-ai/sdk/dist/api/resources/transcription/client/Client.js';",
    target: 'browser',
    external: () => false,
  },
  { name: '@camb-ai/sdk: root { CambClient }', code: "export { CambClient } from '@camb-ai/sdk';", target: 'browser', external: () => false, full: true },
].filter((c) => !SMOKE || !c.full);

/** Bundles one entry for a target; throws when the code cannot be bundled for it. */
async function bundle({ code, input = ENTRY, external }, target, notes) {
  const bundleInput = await rollup({
    input,
    external: (id) => external(id) || (target === 'node' && isBuiltin(id)),
    plugins: [
      {
        name: 'entry',
        // 'camb-rx' is this package (a self-reference): resolve it the way Node does, to the built dist.
        resolveId: (id) => (id === ENTRY ? id : id === 'camb-rx' ? fileURLToPath(import.meta.resolve(id)) : null),
        // camb-rx's built files come with their source maps, so bytes are traced back to src/*.ts.
        load: (id) => {
          if (id === ENTRY) return code;
          if (!id.startsWith(DIST) || !existsSync(`${id}.map`)) return null;
          return { code: readFileSync(id, 'utf8'), map: readFileSync(`${id}.map`, 'utf8') };
        },
        // A dynamic import() of a Node built-in only runs in Node: browser bundlers leave it, so do we.
        resolveDynamicImport: (specifier) => {
          if (target !== 'browser' || typeof specifier !== 'string' || !isBuiltin(specifier)) return null;
          notes.add(`dynamic import("${specifier}") left external`);
          return { id: specifier, external: true };
        },
      },
      nodeResolve({ browser: target === 'browser', exportConditions: target === 'browser' ? ['browser'] : ['node'], preferBuiltins: target === 'node' }),
    ],
    onwarn: (warning) => {
      // In a browser build an import of a Node built-in stays unresolved: that means "not bundleable".
      if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(`unresolved import ${warning.exporter ?? warning.id ?? ''}: ${warning.message}`);
    },
  });
  try {
    const { output } = await bundleInput.generate({ format: 'es', sourcemap: true });
    return { code: output[0].code, map: output[0].map };
  } finally {
    await bundleInput.close();
  }
}

async function measure(entry) {
  let target = entry.target;
  const notes = new Set();
  let bundled;
  try {
    bundled = await bundle(entry, target, notes);
  } catch (error) {
    if (target !== 'browser') throw error;
    notes.clear();
    notes.add(`not bundleable for a browser (${String(error.message).split(' – ')[0]}); bundled for Node`);
    target = 'node';
    bundled = await bundle(entry, target, notes);
  }
  const note = [...notes].join('; ');
  const { code: minified, map } = await minify(bundled.code, {
    module: true,
    compress: { passes: 2 },
    mangle: true,
    sourceMap: { content: bundled.map, asObject: true },
  });
  return {
    target,
    note,
    bundledBytes: Buffer.byteLength(bundled.code),
    minBytes: Buffer.byteLength(minified),
    gzipBytes: gzipSync(minified, { level: 9 }).length,
    ...(entry.breakdown && { breakdown: breakdown(minified, map) }),
  };
}

const results = {};
for (const entry of cases) results[entry.name] = await measure(entry);

const kB = (bytes) => fmt(bytes / 1000, 1);
console.log('\n## Bundle size — rollup + node-resolve, terser (2 passes), gzip -9; kB = 1000 bytes\n');
console.log(
  table(
    ['entry', 'target', 'bundled kB', 'min kB', 'min+gzip kB'],
    Object.entries(results).map(([name, r]) => [name, r.target, kB(r.bundledBytes), kB(r.minBytes), kB(r.gzipBytes)]),
  ),
);
for (const [name, r] of Object.entries(results)) if (r.note) console.log(`note — ${name}: ${r.note}`);

const share = (part, whole) => `${fmt((100 * part) / whole, 1)} %`;
const withBreakdown = Object.entries(results).filter(([, r]) => r.breakdown);
console.log('\n### By package (min bytes exact by source map; min+gzip share estimated, see bench/size.mjs)\n');
console.log(
  table(
    ['entry', 'package', 'modules', 'min B', 'min+gzip B (est.)', 'share'],
    withBreakdown.flatMap(([name, r]) => byPackage(r.breakdown).map((p) => [name, p.package, p.modules, p.minBytes, p.gzipShareBytes, share(p.gzipShareBytes, r.gzipBytes)])),
  ),
);
/** Per-module tables: every module of the single stream; the largest of the rxjs-bundled case. */
const perModule = [
  ['camb-rx: { transcriptionStatus$ }', Infinity],
  ['camb-rx: { transcriptionStatus$ } + rxjs bundled', 25],
];
for (const [name, limit] of perModule) {
  const r = results[name];
  if (!r) continue;
  const rows = r.breakdown.slice(0, limit);
  console.log(`\n### ${name} by module${rows.length < r.breakdown.length ? ` (largest ${rows.length} of ${r.breakdown.length})` : ''}\n`);
  console.log(
    table(
      ['module', 'min B', 'min+gzip B (est.)', 'share'],
      rows.map((row) => [row.module, row.minBytes, row.gzipShareBytes, share(row.gzipShareBytes, r.gzipBytes)]),
    ),
  );
}
/** The single stream's minified bytes by package and by source file, in short (the full rows are in `results`). */
function modulesOf(rows) {
  const name = (row) => (row.package === 'camb-rx' ? `camb-rx ${row.module}` : row.module);
  const packages = { 'camb-rx': 0, zod: 0, other: 0 };
  for (const row of rows) packages[row.package in packages ? row.package : 'other'] += row.minBytes;
  return {
    totalMinBytes: rows.reduce((sum, row) => sum + row.minBytes, 0),
    byPackage: packages,
    bySource: Object.fromEntries([...rows].sort((a, b) => b.minBytes - a.minBytes).map((row) => [name(row), row.minBytes])),
  };
}

writeResults('size', {
  modules: modulesOf(results['camb-rx: { transcriptionStatus$ }'].breakdown),
  method: {
    bundler: 'rollup + @rollup/plugin-node-resolve',
    minifier: 'terser, module, compress.passes 2, mangle',
    gzip: 'zlib level 9',
    rxjs: 'external unless stated',
    zod: 'bundled',
    breakdown: 'min bytes by source map (src/*.ts through dist maps); min+gzip share = total × module gzipped alone ÷ sum of modules gzipped alone',
  },
  results,
});
