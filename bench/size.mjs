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
// - Deterministic: one round; nothing to warm up.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { minify } from 'terser';
import { SMOKE, fmt, table, writeResults } from './lib/common.mjs';

const ENTRY = '\0bench-entry';
const isBuiltin = (id) => id.startsWith('node:') || builtinModules.includes(id);
const isRxjs = (id) => id === 'rxjs' || id.startsWith('rxjs/');

const cases = [
  { name: 'camb-rx: { transcriptionStatus$ }', code: "export { transcriptionStatus$ } from 'camb-rx';", target: 'browser', external: isRxjs },
  { name: 'camb-rx: everything (export *)', code: "export * from 'camb-rx';", target: 'browser', external: isRxjs, full: true },
  { name: 'camb-rx: { transcriptionStatus$ } + rxjs bundled', code: "export { transcriptionStatus$ } from 'camb-rx';", target: 'browser', external: () => false, full: true },
  // The CLI file itself is the entry (as an import it would be tree-shaken away: camb-rx has sideEffects: false).
  { name: 'camb-rx CLI (dist/cli.js)', input: fileURLToPath(new URL('../dist/cli.js', import.meta.url)), target: 'node', external: isRxjs, full: true },
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
        load: (id) => (id === ENTRY ? code : null),
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
    const { output } = await bundleInput.generate({ format: 'es' });
    return output[0].code;
  } finally {
    await bundleInput.close();
  }
}

async function measure(entry) {
  let target = entry.target;
  const notes = new Set();
  let code;
  try {
    code = await bundle(entry, target, notes);
  } catch (error) {
    if (target !== 'browser') throw error;
    notes.clear();
    notes.add(`not bundleable for a browser (${String(error.message).split(' – ')[0]}); bundled for Node`);
    target = 'node';
    code = await bundle(entry, target, notes);
  }
  const note = [...notes].join('; ');
  const minified = (await minify(code, { module: true, compress: { passes: 2 }, mangle: true })).code;
  return {
    target,
    note,
    bundledBytes: Buffer.byteLength(code),
    minBytes: Buffer.byteLength(minified),
    gzipBytes: gzipSync(minified, { level: 9 }).length,
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
writeResults('size', {
  method: { bundler: 'rollup + @rollup/plugin-node-resolve', minifier: 'terser, module, compress.passes 2, mangle', gzip: 'zlib level 9', rxjs: 'external unless stated', zod: 'bundled' },
  results,
});
