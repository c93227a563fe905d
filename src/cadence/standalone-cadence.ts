import type { PollCadence } from './poll-cadence.js';
import { STANDALONE_KNOTS } from './standalone-schedule.js';

/** The standalone default's target and bounds: mean lag 5 s, reads 1 s to 5 min apart. @internal */
export const STANDALONE_CADENCE_TARGET = { meanLagMs: 5000, minIntervalMs: 1000, maxIntervalMs: 300_000 } as const;

/**
 * The schedule a status stream uses without `interval`: fixed and deterministic (it learns
 * nothing and depends on nothing another stream saw), the optimal one for
 * `DEFAULT_DURATION_PRIOR` at a mean lag of 5 s: a read at subscription, the next at an age of
 * about 17 s, then about every 8–10 s, further apart as the task ages. The delay by age is the
 * plan's, sampled at a few ages (standalone-schedule.ts, generated and checked by its test) and
 * interpolated linearly; past the last sample it stays as there.
 *
 * @internal
 */
export const standaloneCadence: PollCadence = {
  nextDelayMs(ageMs) {
    const age = ageMs / 1000;
    let i = 1;
    while (i < STANDALONE_KNOTS.length - 1 && STANDALONE_KNOTS[i]![0] <= age) i++;
    const [a0, d0] = STANDALONE_KNOTS[i - 1]!;
    const [a1, d1] = STANDALONE_KNOTS[i]!;
    const delay = d0 + ((d1 - d0) * Math.min(1, Math.max(0, (age - a0) / (a1 - a0))));
    return Math.min(STANDALONE_CADENCE_TARGET.maxIntervalMs, Math.max(STANDALONE_CADENCE_TARGET.minIntervalMs, delay * 1000));
  },
  observe() {},
};
