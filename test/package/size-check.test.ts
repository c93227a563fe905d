import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('scripts/size-check.mjs', () => {
  it('has a limit for transcriptionStatus$ in size-limit.json', () => {
    const limits = JSON.parse(readFileSync(join(root, 'size-limit.json'), 'utf8')) as Record<string, unknown>;
    expect(limits['transcriptionStatus$']).toEqual(expect.any(Number));
  });

  it('prints the table and exits 1 when a case is over its limit', async () => {
    if (!existsSync(join(root, 'dist/index.js'))) throw new Error('the size check needs the build: run `npm run build` first');
    const dir = mkdtempSync(join(tmpdir(), 'camb-rx-size-'));
    try {
      const limits = join(dir, 'limits.json');
      writeFileSync(limits, JSON.stringify({ 'transcriptionStatus$': 100 }));
      const failure = await run(process.execPath, ['scripts/size-check.mjs', '--limits', limits], { cwd: root }).then(
        () => undefined,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toMatch(/transcriptionStatus\$: \d+ B min\+gzip is over its limit of 100 B/);
      const rows = failure!.stdout.split('\n');
      expect(rows[0]).toMatch(/^bundle\s+min\s+min\+gzip\s+limit$/);
      const [, min, gzip] = /^transcriptionStatus\$\s+(\d+)\s+(\d+)\s+100$/.exec(rows[1]!)!.map(Number);
      expect(gzip).toBeGreaterThan(1000); // zod/mini went in
      expect(gzip).toBeLessThan(min!);
      expect(rows[2]).toMatch(/^everything \(export \*\)\s+\d+\s+\d+\s+-$/);
      expect(rows[3]).toMatch(/^CLI \(dist\/cli\.js\)\s+\d+\s+\d+\s+-$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('finds no module of another feature (budget, merge, transcription, client, engine, …) in the single stream, and names one it finds', async () => {
    if (!existsSync(join(root, 'dist/index.js'))) throw new Error('the size check needs the build: run `npm run build` first');
    const dir = mkdtempSync(join(tmpdir(), 'camb-rx-size-'));
    try {
      const limits = join(dir, 'limits.json');
      writeFileSync(limits, JSON.stringify({}));
      const clean = await run(process.execPath, ['scripts/size-check.mjs', '--limits', limits], { cwd: root });
      expect(clean.stderr).toBe('');
      // The same check, told to exclude the status folder the stream lives in: it must name those modules.
      const failure = await run(process.execPath, ['scripts/size-check.mjs', '--limits', limits, '--excludes', 'src/status/'], { cwd: root }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toMatch(/transcriptionStatus\$: the bundle holds modules it must not need: .*src\/status\/transcription-status\.ts/);
      expect(failure?.stderr).not.toMatch(/src\/(wire|http)\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
