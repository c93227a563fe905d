import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Smoke run of every benchmark (BENCH_SMOKE=1: one tiny round each), proving the scripts still run
 * against the built package and produce the keys BENCHMARKS.md reads. No timing assertions.
 */
const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const outDir = mkdtempSync(join(tmpdir(), 'camb-rx-bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

type Json = any;

async function smoke(name: string, key = name, env: Record<string, string> = {}): Promise<{ stdout: string; results: Json }> {
  expect(existsSync(join(root, 'dist/index.js')), 'build first: npx rollup -c').toBe(true);
  const out = join(outDir, `${name}.json`);
  const { stdout } = await run(process.execPath, [join(root, 'bench', `${name}.mjs`)], {
    cwd: root,
    env: { ...process.env, BENCH_SMOKE: '1', BENCH_OUT: out, ...env },
    timeout: 80_000,
  });
  const results: Json = JSON.parse(readFileSync(out, 'utf8'))[key];
  expect(results.smoke).toBe(true);
  return { stdout, results };
}

// Run side by side, the smoke runs share the machine: each gets 90 s (its child process 80 s).
describe.concurrent('benchmarks (smoke)', { timeout: 90_000 }, () => {
  it('overhead: every contender over both transports, with the ratio to the hand-written loop', async () => {
    const { stdout, results } = await smoke('overhead');
    expect(stdout).toContain('| contender');
    for (const transport of ['stub', 'loopback']) {
      for (const contender of ['hand', 'hand+abort', 'sdk', 'camb-rx', 'camb-rx mergeTasks']) {
        const r = results.results[transport][contender];
        expect(r.cpuUsPerPoll.median).toBeGreaterThan(0);
        expect(r.bytesPerPoll).toHaveProperty('median');
        expect(r.cpuRatioToHand).toHaveProperty('median');
        expect(r.cpuRatioToHandAbort).toHaveProperty('median');
        expect(r.cpuRatioToHandAbort).toHaveProperty('q1');
        expect(r.cpuRatioToHandAbort).toHaveProperty('q3');
      }
      expect(typeof results.target[transport].met).toBe('boolean');
    }
  });

  it('profile: self time by package and the top functions', async () => {
    const { stdout, results } = await smoke('profile');
    expect(stdout).toContain('Top');
    expect(results.cambRx.byCategoryUsPerPoll).toHaveProperty('rxjs');
    expect(results.cambRx.topFunctions.length).toBeGreaterThan(0);
  });

  it('scale: timing at two sizes, heap at three with the marginal heap per task, the burst, and the targets', async () => {
    const { stdout, results } = await smoke('scale');
    expect(stdout).toContain('| metric');
    const mine = results.results['camb-rx'];
    expect(Object.keys(mine.timing)).toHaveLength(2);
    for (const size of Object.keys(mine.timing)) {
      for (const key of ['cpuUsPerPoll', 'loopDelayP50Ms', 'loopDelayP99Ms', 'wallMs', 'subscribeMs']) expect(mine.timing[size][key]).toHaveProperty('median');
    }
    expect(Object.keys(mine.heap)).toHaveLength(3);
    expect(Object.values(mine.marginalHeapBytesPerTask)).toHaveLength(2);
    for (const key of ['subscribeMs', 'longestBlockMs', 'loopDelayP99Ms', 'firstWaveMs']) expect(typeof mine.burst[key]).toBe('number');
    expect(typeof results.targets.burstBlock.met).toBe('boolean');
  });

  it('soak: every task reaches its outcome exactly once, with RSS sampled', async () => {
    const { stdout, results } = await smoke('soak');
    expect(stdout).toContain('| metric');
    expect(results.result.exactlyOnce).toBe(results.result.tasks);
    expect(results.result.maxRssMB).toBeGreaterThan(0);
  });

  it('budget-rate: requests at the server, the achieved rate and the busiest second', async () => {
    const { stdout, results } = await smoke('budget-rate');
    expect(stdout).toContain('| metric');
    for (const key of ['requests', 'achievedRate', 'mostInAnySecond', 'clientCpuS']) expect(results.result[key]).toBeGreaterThan(0);
  });

  it('economy: every policy on every workload, as a ratio to the oracle frontier, and the targets', async () => {
    const { stdout, results } = await smoke('economy');
    expect(stdout).toContain('| policy');
    expect(stdout).toContain("the cadence's own lag estimate");
    const workloads = ['standard', 'narrow', 'wide', 'short', 'long', 'bimodal', 'pareto', 'shift'];
    for (const workload of workloads) {
      const { frontier, policies } = results.results[workload];
      expect(frontier.population.length).toBeGreaterThan(10);
      expect(frontier.sample.length).toBe(frontier.population.length);
      for (const policy of ['fixed 2 s', 'fixed 5 s', 'fixed 15 s', 'previous default 2 s ×2 → 25 s', 'AWS waiter 2–120 s', 'standalone default', 'adaptive 2 s', 'adaptive 5 s', 'adaptive 7.5 s', 'adaptive 10 s']) {
        for (const key of ['requests', 'lagS', 'oracleRequests', 'ratio', 'populationOracleRequests', 'populationRatio']) expect(policies[policy][key]).toBeGreaterThan(0);
        expect(policies[policy].firstGap.share).toBeGreaterThanOrEqual(0);
        if (policy.startsWith('adaptive')) for (const key of ['ownLagEstimateS', 'lastTasksLagS']) expect(policies[policy][key]).toBeGreaterThan(0);
      }
    }
    expect(results.targets.length).toBeGreaterThan(workloads.length * 8);
    // The room the targets against fixed 15 s leave: what the oracle itself saves at fixed 15 s's lag.
    expect(stdout).toMatch(/^long: adaptive 7\.5 s -?[\d.]+% fewer requests than fixed 15 s .*; the oracle on the same tasks at fixed 15 s's lag: -?[\d.]+% fewer/m);
    for (const workload of ['standard', 'long', 'narrow']) {
      const { fewer, oracleFewer, oracleRequestsAtFixedLag } = results.results[workload].againstFixed15;
      expect(oracleRequestsAtFixedLag).toBeGreaterThan(0);
      // Measured at fixed 15 s's own lag: its own figure against the oracle, on the same tasks.
      expect(oracleRequestsAtFixedLag).toBe(results.results[workload].policies['fixed 15 s'].oracleRequests);
      expect(oracleFewer).toBeCloseTo(1 - oracleRequestsAtFixedLag / results.results[workload].policies['fixed 15 s'].requests, 12);
      expect(fewer).toBeCloseTo(1 - results.results[workload].policies['adaptive 7.5 s'].requests / results.results[workload].policies['fixed 15 s'].requests, 12);
    }
  });

  it('economy, partial, in blocks: each block of tasks against the oracle on its own tasks', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'bench', 'economy.mjs')], {
      cwd: root,
      env: { ...process.env, BENCH_SMOKE: '1', ECONOMY_BLOCKS: '20', ECONOMY_ONLY: 'shift', ECONOMY_POLICIES: 'adaptive 2 s' },
      timeout: 80_000,
    });
    expect(stdout).toContain('shift, adaptive 2 s, blocks of 20 tasks by arrival');
    // The 40 smoke tasks: two blocks, each with its own ratio to the oracle.
    expect(stdout.match(/^\| (0–19|20–39) +\|.*\d×/gm)).toHaveLength(2);
    expect(stdout).toContain('partial run');
  });

  it('cadence-cost: CPU with and without one shared adaptive cadence, and the confidence interval of the median', async () => {
    // Six rounds of one pair each (a smoke run pairs one run per round): the fewest pairs with a 95 % interval for the median, which is then their min and max.
    const { stdout, results } = await smoke('cadence-cost', 'cadence-cost', { CADENCE_COST_ROUNDS: '6' });
    expect(stdout).toContain('learning overhead over 6 pairs');
    expect(stdout).toMatch(/the median lies within -?[\d.]+ to -?[\d.]+ % with 96\.9 % confidence/);
    expect(results.results.overheadPercent.medianInterval).toMatchObject({ low: results.results.overheadPercent.min, high: results.results.overheadPercent.max });
    for (const key of ['baseline', 'learning', 'overheadPercent', 'cadenceAloneMs']) expect(results.results[key]).toHaveProperty('median');
    expect(results.results.cadenceAlonePerTask.map((s: { tasks: number }) => s.tasks)).toEqual([20, 200, 2000]);
  });

  it("cadence-cost, the time inside the cadence's calls where it runs, against the cadence alone", async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', join(root, 'bench', 'cadence-cost.mjs')], { cwd: root, env: { ...process.env, BENCH_SMOKE: '1', CADENCE_COST_INSIDE: '2' }, timeout: 80_000 });
    expect(stdout).toMatch(/^inside the cadence's calls, in a run of 200 tasks through mergeTasks: [\d.]+ \([\d.]+–[\d.]+\) ms per run \([\d.]+ % of the run's CPU, the timing included\); the cadence alone, between the runs: [\d.]+ \([\d.]+–[\d.]+\) ms$/m);
    // Something was timed: 200 tasks' calls take more than nothing, inside the run and alone.
    const [insideMs, aloneMs] = [/calls, .*?: ([\d.]+) \(/.exec(stdout)![1], /between the runs: ([\d.]+) \(/.exec(stdout)![1]].map(Number);
    expect(insideMs).toBeGreaterThan(0);
    expect(aloneMs).toBeGreaterThan(0);
    expect(stdout).not.toContain('learning overhead');
  });

  it('cadence-cost, the cadence alone only (the run to profile)', async () => {
    const { stdout } = await run(process.execPath, [join(root, 'bench', 'cadence-cost.mjs')], { cwd: root, env: { ...process.env, BENCH_SMOKE: '1', CADENCE_COST_ALONE: '2' }, timeout: 80_000 });
    expect(stdout).toMatch(/^the cadence alone: [\d.]+ \([\d.]+–[\d.]+\) ms CPU per run of 200 tasks$/m);
    expect(stdout).not.toContain('learning overhead');
  });

  it('distributed: Redis memory per watched task, and 4 workers against one budget (own redis-server)', async () => {
    const { stdout, results } = await smoke('distributed');
    expect(stdout).toContain('| limiter windows');
    for (const run of results.memory) for (const key of ['bytesPerTask', 'waitingJobHashBytes', 'reads', 'delayedJobHashBytes']) expect(run[key]).toBeGreaterThan(0);
    for (const key of ['ratePerSecond', 'maxInAnySecond', 'maxInFlight', 'workerCpuMsPerRequest', 'slotsGivenBack']) expect(results.load[key]).toBeGreaterThanOrEqual(0);
    expect(typeof results.targets.met.bound).toBe('boolean');
  });

  it('size: min+gzip of camb-rx and of the SDK transcription client', async () => {
    const { stdout, results } = await smoke('size');
    expect(stdout).toContain('| entry');
    for (const entry of ['camb-rx: { transcriptionStatus$ }', '@camb-ai/sdk: transcription client']) {
      expect(results.results[entry].gzipBytes).toBeGreaterThan(0);
    }
    // The per-module breakdown: camb-rx's own files (traced back to src/ by the source maps) and zod's.
    const modules: { module: string; package: string; minBytes: number; gzipShareBytes: number }[] = results.results['camb-rx: { transcriptionStatus$ }'].breakdown;
    expect(modules.some((row) => row.module === 'src/status/transcription-status.ts')).toBe(true);
    expect(modules.some((row) => row.package === 'zod')).toBe(true);
    expect(stdout).toContain('by module');
    expect(results.modules.byPackage.zod).toBeGreaterThan(0);
    expect(Object.keys(results.modules.bySource).some((source) => source.startsWith('camb-rx src/'))).toBe(true);
  });

  it('size-features: each feature\'s patch still applies, and cutting it out makes the bundle smaller', async () => {
    const { stdout, results } = await smoke('size-features', 'sizeFeatures');
    expect(stdout).toContain('| feature cut out');
    expect(results.results.length).toBeGreaterThan(3);
    for (const row of results.results) expect(row.weightBytes, row.feature).toBeGreaterThan(0);
  }, 60_000); // seven bundles, one per feature and the baseline: longer than the default on a busy machine
});
