import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

/** Library entries: `camb-rx`, `camb-rx/testing`, `camb-rx/node`, `camb-rx/angular` and `camb-rx/bullmq`. */
const entries = { index: 'src/index.ts', testing: 'src/testing/index.ts', node: 'src/node/index.ts', angular: 'src/angular/index.ts', bullmq: 'src/bullmq/index.ts' };

/** Everything not in src/ stays an import: rxjs (peer), zod, cross-fetch, Angular and node: built-ins. */
const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');

const compile = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts'],
    filterRoot: '.',
    compilerOptions: { rootDir: 'src', outDir: 'dist', declaration: false, sourceMap: true },
  });

export default [
  {
    input: entries,
    external,
    plugins: [compile()],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: true },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs', sourcemap: true },
    ],
  },
  {
    input: entries,
    external,
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { rootDir: 'src' } })],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: '[name]-[hash].d.ts' },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].d.cts', chunkFileNames: '[name]-[hash].d.cts' },
    ],
  },
  {
    // The CLI is its own ESM file with the library bundled in, so it adds nothing to `import 'camb-rx'`.
    input: { cli: 'src/cli/main.ts' },
    external,
    plugins: [compile()],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', banner: '#!/usr/bin/env node', sourcemap: true },
  },
];
