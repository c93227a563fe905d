import { delayAtAge } from './delay-at-age.js';
import { cadenceGrid } from './duration-grid.js';
import { DEFAULT_DURATION_PRIOR, priorProbabilities } from './duration-prior.js';
import { planForLag, type InspectionPlan } from './inspection-plan.js';
import type { PollCadence } from './poll-cadence.js';

/** The standalone default's target and bounds: mean lag 5 s, reads 1 s to 5 min apart. */
export const STANDALONE_CADENCE_TARGET = { meanLagMs: 5000, minIntervalMs: 1000, maxIntervalMs: 300_000 } as const;

let plan: InspectionPlan | undefined;

/**
 * The schedule a status stream uses without `interval`: fixed and deterministic (it learns
 * nothing and depends on nothing another stream saw), the optimal one for
 * {@link DEFAULT_DURATION_PRIOR} at a mean lag of 5 s: a read at subscription, the next at an age
 * of about 17 s, then about every 8–10 s, further apart as the task ages. Planned once, on first use.
 *
 * @internal
 */
export const standaloneCadence: PollCadence = {
  nextDelayMs(ageMs) {
    const { meanLagMs, minIntervalMs, maxIntervalMs } = STANDALONE_CADENCE_TARGET;
    plan ??= planForLag(
      { edges: cadenceGrid.edges, probabilities: priorProbabilities(DEFAULT_DURATION_PRIOR), minGapMs: minIntervalMs, maxGapMs: maxIntervalMs },
      meanLagMs,
    );
    return delayAtAge(cadenceGrid, plan, ageMs, minIntervalMs, maxIntervalMs);
  },
  observe() {},
};
