import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { assertMs, assertNumber, optionError, withDefaults } from '../util/assert-option.js';
import { cadenceGrid } from './duration-grid.js';
import { binProbabilities, logNormalCdf } from './log-normal.js';

/**
 * What an adaptive cadence assumes about task durations before it has seen any: a log-normal
 * distribution, held as firmly as `weight` finished tasks.
 *
 * @example
 * ```ts
 * import { adaptiveCadence, type DurationPrior } from 'camb-rx';
 * const longDubs: DurationPrior = { medianMs: 10 * 60_000, sigma: 0.6, weight: 10 };
 * const cadence = adaptiveCadence({ prior: longDubs });
 * ```
 */
export interface DurationPrior {
  /** The median duration, in ms. */
  medianMs: number;
  /** σ of the duration's logarithm: 0.4 is narrow, 1 is wide. */
  sigma: number;
  /** How many observed tasks the prior is worth. */
  weight: number;
}

/**
 * The documented prior: log-normal, median 60 s, σ 1 (a third of tasks outside 22 s – 2.7 min),
 * worth 10 tasks. The streams' default schedule is the optimal one for it.
 *
 * @example
 * ```ts
 * import { DEFAULT_DURATION_PRIOR, adaptiveCadence } from 'camb-rx';
 * adaptiveCadence({ prior: { ...DEFAULT_DURATION_PRIOR, medianMs: 120_000 } });
 * ```
 */
export const DEFAULT_DURATION_PRIOR: Readonly<DurationPrior> = { medianMs: 60_000, sigma: 1, weight: 10 };

/**
 * Checks a prior (fields left out come from {@link DEFAULT_DURATION_PRIOR}); throws `TypeError`.
 *
 * @internal
 */
export function resolvePrior(prior: Partial<DurationPrior> | undefined): DurationPrior {
  if (prior !== undefined && (typeof prior !== 'object' || prior === null)) throw optionError('prior', 'an object { medianMs, sigma, weight }', prior);
  assertKnownKeys(prior, optionKeys<DurationPrior>({ medianMs: true, sigma: true, weight: true }), 'prior.');
  const merged = withDefaults({ ...DEFAULT_DURATION_PRIOR }, prior);
  assertMs('prior.medianMs', merged.medianMs, { min: 1 });
  assertNumber('prior.sigma', merged.sigma, 0.05, 5);
  assertNumber('prior.weight', merged.weight, 1, 1_000_000);
  return merged;
}

/**
 * The prior's probability of each bin of the cadence grid.
 *
 * @internal
 */
export function priorProbabilities({ medianMs, sigma }: DurationPrior): Float64Array {
  return binProbabilities(cadenceGrid.edges, (x) => logNormalCdf(x, medianMs, sigma));
}
