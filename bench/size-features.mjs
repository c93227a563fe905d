// What single features weigh in the `{ transcriptionStatus$ }` bundle: the bundle is built from
// src/ as it is, then once per feature with that feature cut out by a patch of its source (in
// memory; nothing is written), and the difference in min+gzip is its price. A price list for
// deciding what a smaller bundle would cost in behaviour; no variant here is a proposal.
//
// Method
// - src/*.ts compiled one file at a time (typescript.transpileModule, ES2022), bundled by rollup
//   with @rollup/plugin-node-resolve (browser conditions), rxjs external, zod bundled; terser
//   (module, compress.passes 2, mangle); gzip level 9 — as bench/size.mjs, but from src/, so the
//   baseline differs from the built package's by a few dozen bytes.
// - A patch whose text is no longer in its file fails the run: the list cannot go stale quietly.
// - Deterministic: one round.
//
//   node bench/size-features.mjs
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import { minify } from 'terser';
import ts from 'typescript';
import { table, writeResults } from './lib/common.mjs';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const ENTRY = '\0size-features-entry';

/** The features and the patches that cut each out: `{ file (under src/), find, replace }`. */
const features = [
  {
    name: 'key redaction (the Redactor: bodies, messages and errors scrubbed of the API key)',
    patches: [
      {
        file: 'connection/connection-options.ts',
        find: 'const redact = createRedactor([apiKey]);',
        replace: 'const redact: Redactor = { text: (t) => t, cutText: (t) => t, value: (v) => v, error: (e) => e };',
      },
    ],
  },
  {
    name: 'Retry-After as an HTTP date (three RFC 9110 forms; delta seconds stay)',
    patches: [{ file: 'timing/retry-after.ts', find: 'const date = parseHttpDate(value, nowMs);', replace: 'const date = Number.NaN;' }],
  },
  {
    name: 'misspelt option suggestions ("did you mean …")',
    patches: [{ file: 'util/assert-known-keys.ts', find: 'const closest = closestName(key, known);', replace: 'const closest: string | undefined = undefined;' }],
  },
  {
    name: 'unknown option check altogether',
    patches: [
      {
        file: 'util/assert-known-keys.ts',
        find: 'export function assertKnownKeys(',
        replace: 'export function assertKnownKeys(..._: unknown[]): void {}\nexport function uncalledAssertKnownKeys(',
      },
    ],
  },
  {
    name: 'zod: the status body checked by hand instead (same acceptance)',
    patches: [
      {
        file: 'wire/status-body.ts',
        find: "import * as z from 'zod/v4/core';",
        replace: `import type * as z from 'zod/v4/core';
const issue = (path: string) => ({ success: false, error: { issues: [{ path: path ? [path] : [], message: 'Invalid input' }] } });
const orNull = (test: (v: unknown) => boolean) => (v: unknown) => v == null || test(v);
const fields: Record<string, (v: unknown) => boolean> = {
  status: (v) => typeof v === 'string',
  run_id: orNull(Number.isSafeInteger),
  exception_reason: orNull((v) => typeof v === 'string'),
  message: orNull((v) => typeof v === 'string' || (typeof v === 'object' && v !== null && !Array.isArray(v))),
};
const handChecked = {
  safeParse(body: any) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return issue('');
    for (const [key, test] of Object.entries(fields)) if (!test(body[key])) return issue(key);
    const data: any = {};
    for (const key of Object.keys(fields)) if (key in body) data[key] = body[key];
    return { success: true, data };
  },
};`,
      },
      { file: 'wire/status-body.ts', find: 'export const statusBodySchema = object({', replace: 'export const statusBodySchema = handChecked as any; const unused = () => object({' },
      { file: 'http/send-request.ts', find: 'const parsed = safeParse(schema, json);', replace: 'const parsed = (schema as any).safeParse(json);' },
    ],
  },
  {
    name: 'cross-fetch, loaded where the runtime has no global fetch',
    patches: [
      {
        file: 'http/load-fetch.ts',
        find: 'export function loadFetch(): FetchLike | Promise<FetchLike> {',
        replace: 'export function loadFetch(): FetchLike | Promise<FetchLike> {\n  return globalThis.fetch.bind(globalThis);\n}\nexport function uncalledLoadFetch(): FetchLike | Promise<FetchLike> {',
      },
    ],
  },
];

/** Rollup plugin: src/*.ts from disk (`.js` specifiers resolved to `.ts`), compiled, with `patches` applied first. */
function sourcePlugin(patches) {
  return {
    name: 'patched-src',
    resolveId(id, importer) {
      if (id === ENTRY) return id;
      if (!importer || !id.startsWith('.')) return null;
      const path = fileURLToPath(new URL(id.replace(/\.js$/, '.ts'), `file://${importer}`));
      return existsSync(path) ? path : null;
    },
    load(id) {
      if (id === ENTRY) return `export { transcriptionStatus$ } from ${JSON.stringify(`${SRC}index.ts`)};`;
      if (!id.startsWith(SRC) || !id.endsWith('.ts')) return null;
      let code = readFileSync(id, 'utf8');
      for (const patch of patches.filter((p) => id === `${SRC}${p.file}`)) {
        if (!code.includes(patch.find)) throw new Error(`size-features: "${patch.find}" is no longer in src/${patch.file}; update the patch`);
        code = code.replace(patch.find, patch.replace);
      }
      return ts.transpileModule(code, { fileName: id, compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    },
  };
}

/** min+gzip bytes of `{ transcriptionStatus$ }` with `patches` applied. */
async function measure(patches) {
  const bundle = await rollup({
    input: ENTRY,
    external: (id) => id === 'rxjs' || id.startsWith('rxjs/'),
    plugins: [sourcePlugin(patches), nodeResolve({ browser: true, exportConditions: ['browser'] })],
    onwarn: () => undefined,
  });
  try {
    const { output } = await bundle.generate({ format: 'es' });
    const { code } = await minify(output[0].code, { module: true, compress: { passes: 2 }, mangle: true });
    return gzipSync(code, { level: 9 }).length;
  } finally {
    await bundle.close();
  }
}

const baseline = await measure([]);
const results = [];
for (const feature of features) {
  const withoutBytes = await measure(feature.patches);
  results.push({ feature: feature.name, withoutBytes, weightBytes: baseline - withoutBytes });
}
console.log(`\n## What features weigh in { transcriptionStatus$ } — built from src/, min+gzip bytes (baseline ${baseline} B)\n`);
console.log(table(['feature cut out', 'bundle without it', 'its weight'], results.map((r) => [r.feature, r.withoutBytes, r.weightBytes])));
writeResults('sizeFeatures', { method: 'src/ via typescript.transpileModule, rollup + node-resolve (browser), rxjs external, terser 2 passes, gzip -9', baselineBytes: baseline, results });
