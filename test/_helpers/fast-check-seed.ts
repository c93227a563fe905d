import fc from 'fast-check';

// With FC_SEED set (`.ci/run` sets it), every property test draws the same cases on every run, so
// a CI run is never red by chance; without it each run draws new cases, which is how a generator
// bug is found. A failing property prints its seed: `FC_SEED=<seed> npx vitest run <file>` replays it.
if (process.env.FC_SEED) fc.configureGlobal({ seed: Number(process.env.FC_SEED) });
