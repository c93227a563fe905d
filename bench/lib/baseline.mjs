// A baseline to measure beside the current build, in the same run: BENCH_BASELINE=<git ref> makes
// the benchmarks that support it also load camb-rx as built from that ref (e.g. `main`). The ref is
// exported with `git archive` into bench/.baseline/<commit>/ (ignored by git), built there once with
// rollup (node_modules linked to this checkout's), and reused while the commit is the same.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The baseline's ref (BENCH_BASELINE), or undefined when none was asked for. */
export const BASELINE_REF = process.env.BENCH_BASELINE || undefined;

/**
 * Loads the baseline build of camb-rx, building it first when needed.
 *
 * @returns `{ ref, commit, module }`, or undefined without BENCH_BASELINE
 */
export async function loadBaseline() {
  if (!BASELINE_REF) return undefined;
  // BENCH_BASELINE_COMMIT pins the commit for the child processes of a run, so that a ref moving
  // meanwhile (main, merged into while a run goes on) cannot give one run two baselines.
  const commit = process.env.BENCH_BASELINE_COMMIT || execFileSync('git', ['rev-parse', '--short', BASELINE_REF], { cwd: root, encoding: 'utf8' }).trim();
  const dir = join(root, 'bench/.baseline', commit);
  const entry = join(dir, 'dist/index.js');
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    const archive = spawnSync('git', ['archive', commit], { cwd: root, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive.stdout });
    if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(process.execPath, [join(root, 'node_modules/rollup/dist/bin/rollup'), '-c'], { cwd: dir, stdio: 'ignore' });
  }
  return { ref: BASELINE_REF, commit, module: await import(pathToFileURL(entry).href) };
}
