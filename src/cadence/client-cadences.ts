import { optionError } from '../util/assert-option.js';
import { TaskKinds, isTaskKind, type TaskKind } from '../wire/task-kind.js';
import { adaptiveCadence, type AdaptiveCadence, type AdaptiveCadenceOptions } from './adaptive-cadence.js';

/**
 * The client's cadence option: how its per-kind adaptive cadences start.
 *
 * @example
 * ```ts
 * import { createCambClient, type ClientCadenceOptions } from 'camb-rx';
 * const cadences: ClientCadenceOptions['cadences'] = { transcribe: { meanLagMs: 7500, snapshot: saved } };
 * const camb = createCambClient({ apiKey, cadences });
 * ```
 */
export interface ClientCadenceOptions {
  /**
   * Options (a `snapshot` to resume from, `meanLagMs`, …) of the adaptive cadence of each task
   * kind; kinds left out get `adaptiveCadence()`'s defaults.
   * @default {}
   */
  cadences?: Partial<Record<TaskKind, AdaptiveCadenceOptions>>;
}

/**
 * One adaptive cadence per task kind, each made on first use; options are checked at once.
 *
 * @throws TypeError for a bad option
 * @internal
 */
export function clientCadences(options: ClientCadenceOptions['cadences']): (kind: TaskKind) => AdaptiveCadence {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw optionError('cadences', 'an object keyed by task kind', options);
  const made = new Map<TaskKind, AdaptiveCadence>();
  for (const [kind, kindOptions] of Object.entries(options ?? {}) as [TaskKind, AdaptiveCadenceOptions][]) {
    if (!isTaskKind(kind)) throw optionError('cadences', `keys from ${Object.values(TaskKinds).join(', ')}`, kind);
    made.set(kind, adaptiveCadence(kindOptions));
  }
  return (kind) => {
    if (!isTaskKind(kind)) throw new TypeError(`camb-rx: unknown task kind ${JSON.stringify(kind)}`);
    let cadence = made.get(kind);
    if (!cadence) made.set(kind, (cadence = adaptiveCadence(options?.[kind])));
    return cadence;
  };
}
