import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatErrors, typeCheck } from '../_helpers/type-check.js';

/*
 * What a user installs: `npm pack` of the build, unpacked into a fresh project outside the repo,
 * with rxjs and zod linked from the repo's node_modules (no registry, no npm cache needed).
 * npm's own install would do two things more: link `.bin` and mark the bin executable; the bin
 * test below does the latter by hand.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
  bin: Record<string, string>;
  typesVersions: Record<string, Record<string, string[]>>;
  license: string;
  files: string[];
  repository: { type: string; url: string };
  homepage: string;
  bugs: { url: string };
};

/** The subpaths of `exports` that are modules (`testing` for `./testing`), the root left out. */
const subpathEntries = Object.keys(pkg.exports)
  .filter((key) => key !== '.' && !key.endsWith('.json'))
  .map((key) => key.replace(/^\.\//, ''));

let work: string;
let project: string;
let installed: string;
let files: string[];

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('the package tests need the build: run `npm run build` first');
  work = mkdtempSync(join(tmpdir(), 'camb-rx-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root });
  const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  files = packed.files.map((file) => file.path);
  project = join(work, 'project');
  installed = join(project, 'node_modules', pkg.name);
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'smoke', private: true }));
  await run('tar', ['-xzf', join(work, packed.filename), '-C', installed, '--strip-components=1']);
  for (const dependency of ['rxjs', 'zod']) symlinkSync(join(root, 'node_modules', dependency), join(project, 'node_modules', dependency), 'dir');
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Every file an `exports` map points to. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value.replace(/^\.\//, '')];
  return value && typeof value === 'object' ? Object.values(value).flatMap(exportTargets) : [];
}

/** The files a built module loads through relative imports, itself included. */
function moduleGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file) || seen.size > 100) return seen;
  seen.add(file);
  const source = readFileSync(join(installed, file), 'utf8');
  for (const [, specifier] of source.matchAll(/(?:from\s*|require\(\s*|import\(\s*)['"](\.\.?\/[^'"]+)['"]/g)) {
    moduleGraph(join(file, '..', specifier!), seen);
  }
  return seen;
}

/** Runs a script in the project with Node. */
async function runInProject(name: string, source: string): Promise<{ format: string; resolved: string; statuses: string[] }> {
  writeFileSync(join(project, name), source);
  const { stdout } = await run(process.execPath, [name], { cwd: project, timeout: 20_000 });
  return JSON.parse(stdout) as { format: string; resolved: string; statuses: string[] };
}

/** The body both smoke scripts share: start the simulator, follow a task to SUCCESS. */
const smokeBody = (format: string, resolve: string) => `
  const simulator = await startCambSimulator({ tasks: [{ id: 'task-1', pendingPolls: 1 }] });
  try {
    if (typeof readMediaFile !== 'function' || typeof toReadable !== 'function') throw new Error('camb-rx/node is incomplete');
    const status$ = transcriptionStatus$('task-1', { apiKey: simulator.apiKey, baseUrl: simulator.url, interval: 10, minIntervalMs: 0 }).pipe(distinctStatus());
    const statuses = [];
    for await (const s of toAsyncIterable(status$)) statuses.push(s.status);
    console.log(JSON.stringify({ format: '${format}', resolved: ${resolve}, statuses }));
  } finally {
    await simulator.close();
  }`;

describe('the packed tarball', () => {
  it('holds the build, package.json, README and LICENSE, and nothing of src/, test/ or the tooling', () => {
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    expect(pkg.files).toContain('LICENSE');
    for (const file of files) expect(file).toMatch(/^(package\.json|README\.md|LICENSE(\.md)?|dist\/[\w.-]+\.(js|cjs|d\.ts|d\.cts|js\.map|cjs\.map))$/);
    expect(files.filter((file) => /^(src|test|examples|scripts|bench|docs)\/|\.tgz$|tsconfig|\.config\./.test(file))).toEqual([]);
  });

  it('says where it comes from: an MIT LICENSE file, repository, homepage and bugs', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
    expect(pkg.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/[\w-]+\/[\w-]+\.git$/) });
    const repository = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(pkg.homepage).toBe(`${repository}#readme`);
    expect(pkg.bugs).toEqual({ url: `${repository}/issues` });
  });

  it('maps every subpath of `exports` in `typesVersions`, to its CJS types, for TypeScript\'s node10 resolution', () => {
    const require = (key: string) => (pkg.exports[`./${key}`] as { require: { types: string } }).require.types;
    expect(Object.keys(pkg.typesVersions)).toEqual(['*']);
    const expected = Object.fromEntries(subpathEntries.map((key) => [key, [require(key)]]));
    // A new entry in `exports` needs its line in `typesVersions['*']` too (older Angular workspaces resolve with node10).
    expect(pkg.typesVersions['*']).toEqual(expected);
  });

  it('holds every file that `exports` and `bin` point to', () => {
    for (const target of [...exportTargets(pkg.exports), ...Object.values(pkg.bin).map((bin) => bin.replace(/^\.\//, ''))]) {
      expect(files, target).toContain(target);
    }
  });

  it('has a main entry (ESM and CJS) that loads no node: module', () => {
    const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const entry of ['dist/index.js', 'dist/index.cjs']) {
      const graph = moduleGraph(entry);
      expect(graph.size).toBeGreaterThan(1); // the shared chunks were followed
      for (const file of graph) {
        expect(withoutComments(readFileSync(join(installed, file), 'utf8')), file).not.toMatch(/(from\s*|require\(\s*|import\(\s*)['"]node:/);
      }
    }
  });

  it('has a bin that runs by its shebang once marked executable, as npm does on install', async () => {
    const [name, target] = Object.entries(pkg.bin)[0]!;
    expect(name).toBe('camb-rx');
    const bin = join(installed, target);
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    chmodSync(bin, 0o755);
    const { stdout } = await run(bin, ['--help'], { cwd: project, timeout: 10_000 });
    expect(stdout).toMatch(/usage/i);
    const version = await run(bin, ['--version'], { cwd: project, timeout: 10_000 });
    expect(version.stdout).toBe(`${pkg.version}\n`); // read from the installed package.json
  });

  it('type-checks every entry under TypeScript\'s node10 resolution (`moduleResolution: node`, older Angular workspaces)', () => {
    mkdirSync(join(project, 'node_modules/@angular'), { recursive: true });
    for (const name of ['core', 'common']) symlinkSync(join(root, 'node_modules/@angular', name), join(project, 'node_modules/@angular', name), 'dir');
    for (const name of ['bullmq', 'ioredis']) symlinkSync(join(root, 'node_modules', name), join(project, 'node_modules', name), 'dir'); // camb-rx/bullmq's peers
    const entries = ['camb-rx', ...subpathEntries.map((key) => `camb-rx/${key}`)];
    const source = entries.map((entry, i) => `import * as entry${i} from '${entry}';\nexport const keys${i}: string[] = Object.keys(entry${i});`).join('\n');
    const { errors, resolved } = typeCheck(project, { 'node10.ts': source }, {
      strict: true,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      ignoreDeprecations: '6.0',
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
      skipLibCheck: true,
    });
    expect(formatErrors(errors)).toBe('');
    expect([...resolved.keys()]).toEqual(entries);
    for (const [entry, file] of resolved) expect(file, entry).toMatch(/\/node_modules\/camb-rx\/dist\/[\w-]+\.d\.cts$/);
  });

  it('works when imported (ESM): camb-rx, camb-rx/testing, camb-rx/node', async () => {
    const result = await runInProject(
      'smoke.mjs',
      `import { distinctStatus, transcriptionStatus$ } from 'camb-rx';
import { startCambSimulator } from 'camb-rx/testing';
import { readMediaFile, toAsyncIterable, toReadable } from 'camb-rx/node';
${smokeBody('esm', "import.meta.resolve('camb-rx')")}`,
    );
    expect(result).toEqual({ format: 'esm', resolved: expect.stringMatching(/\/project\/node_modules\/camb-rx\/dist\/index\.js$/), statuses: ['PENDING', 'SUCCESS'] });
  });

  it('works when required (CJS): camb-rx, camb-rx/testing, camb-rx/node', async () => {
    const result = await runInProject(
      'smoke.cjs',
      `const { distinctStatus, transcriptionStatus$ } = require('camb-rx');
const { startCambSimulator } = require('camb-rx/testing');
const { readMediaFile, toAsyncIterable, toReadable } = require('camb-rx/node');
(async () => {${smokeBody('cjs', "require.resolve('camb-rx')")}
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});`,
    );
    expect(result).toEqual({ format: 'cjs', resolved: expect.stringMatching(/\/project\/node_modules\/camb-rx\/dist\/index\.cjs$/), statuses: ['PENDING', 'SUCCESS'] });
  });
});
