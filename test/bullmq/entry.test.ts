import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/* These read the built package (npm test builds first), not src/: what users get. */
const require = createRequire(import.meta.url);
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The bare specifiers (packages) that a built file and the chunks it loads import, followed through relative imports. */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/(?:from\s*|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!));
      else packages.add(specifier!.split('/')[0]!);
    }
  };
  visit(join(dist, entry));
  return packages;
}

describe('the camb-rx/bullmq entry', () => {
  it('loads in both formats, with the same exports', async () => {
    const esm = await import('../../dist/bullmq.js' as string);
    const cjs = require('../../dist/bullmq.cjs');
    expect(Object.keys(esm).sort()).toEqual(Object.keys(cjs).sort());
    expect(typeof esm.createCambQueue).toBe('function');
    expect(esm.limiterWindows(1000, 40)).toEqual(cjs.limiterWindows(1000, 40));
  });

  it('is the only entry that loads bullmq or ioredis: the root entry stays free of them', () => {
    for (const entry of ['index.js', 'index.cjs', 'testing.js', 'node.js']) {
      const loaded = packagesLoadedBy(entry);
      expect(loaded.has('bullmq') || loaded.has('ioredis'), entry).toBe(false);
    }
    expect(packagesLoadedBy('bullmq.js').has('bullmq')).toBe(true);
  });
});
