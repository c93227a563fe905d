import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { assertMs, optionError, withDefaults } from '../util/assert-option.js';
import { assertSnapshot, type CadenceSnapshot } from './cadence-snapshot.js';
import { delayAtAge } from './delay-at-age.js';
import { DurationEstimator, ESTIMATOR_WEIGHTS } from './duration-estimator.js';
import { expectedLagMs } from './expected-lag.js';
import { ExploringTask } from './exploring-task.js';
import { FirstGapShape } from './first-gap-shape.js';
import { logNormalFit, mixWith } from './log-normal-fit.js';
import { smoothBins } from './smooth-bins.js';
import { CADENCE_GRID_SPEC, cadenceGrid } from './duration-grid.js';
import { priorRefuted } from './prior-refuted.js';
import { priorProbabilities, resolvePrior, type DurationPrior } from './duration-prior.js';
import { REQUEST_COST_RANGE, planForLag, solveInspection, type InspectionPlan } from './inspection-plan.js';
import type { CadenceObservation, CadenceTrack, PollCadence } from './poll-cadence.js';
import { OutlivedEvidence } from './outlived-evidence.js';
import { RunningTasks } from './running-tasks.js';

/**
 * Options of {@link adaptiveCadence}.
 *
 * @example
 * ```ts
 * import { adaptiveCadence, type AdaptiveCadenceOptions } from 'camb-rx';
 * const options: AdaptiveCadenceOptions = { meanLagMs: 7500, maxIntervalMs: 60_000 };
 * const cadence = adaptiveCadence(options);
 * ```
 */
export interface AdaptiveCadenceOptions {
  /**
   * The mean detection lag to aim for: from a task finishing to the read that sees it. Lower
   * costs more requests.
   * @default 5000
   */
  meanLagMs?: number;
  /**
   * Never read a task sooner than this after its previous read.
   * @default 1000
   */
  minIntervalMs?: number;
  /**
   * Never wait longer than this between two reads of a task.
   * @default 300_000
   */
  maxIntervalMs?: number;
  /**
   * What to assume before any task has finished; fields left out come from the default.
   * @default DEFAULT_DURATION_PRIOR — log-normal, median 60 s, σ 1, worth 10 tasks
   */
  prior?: Partial<DurationPrior>;
  /**
   * Learned state from `cadence.snapshot()` to resume from (the prior is then not used).
   * @default undefined
   */
  snapshot?: CadenceSnapshot;
}

/** Every name of {@link AdaptiveCadenceOptions}, for the check of unknown options. */
const adaptiveCadenceOptionKeys = optionKeys<AdaptiveCadenceOptions>({ meanLagMs: true, minIntervalMs: true, maxIntervalMs: true, prior: true, snapshot: true });

/**
 * A {@link PollCadence} that learns: share one between many streams and it estimates the
 * distribution of task durations from every task they watch, and schedules each read to minimise
 * expected lag plus a price per request, with the price tuned so the mean lag meets `meanLagMs`.
 *
 * @example
 * ```ts
 * import { adaptiveCadence, type AdaptiveCadence } from 'camb-rx';
 * const cadence: AdaptiveCadence = adaptiveCadence({ meanLagMs: 5000 });
 * localStorage.setItem('cadence', JSON.stringify(cadence.snapshot()));
 * ```
 */
export interface AdaptiveCadence extends PollCadence {
  /**
   * The learned state as plain JSON, for `adaptiveCadence({ snapshot })` after a restart (the
   * tracked tasks still running are not in it: their streams end with the process).
   * @returns a {@link CadenceSnapshot}
   */
  snapshot(): CadenceSnapshot;
  /**
   * Follows one task while it runs: the plan counts it as still running at its latest pending
   * read until it ends, so tasks longer than any finished yet count before they finish (and when
   * they outlive what the estimate allows, the workload is taken to have changed). While a
   * fifth of the tasks end in the first gap between reads, one task in 12 is explored: its handle
   * has `nextDelayMs`, which reads it once inside that gap.
   * @returns the task's {@link CadenceTrack}
   */
  track(): CadenceTrack;
  /** Tasks learned from so far (finished and censored). */
  readonly observed: number;
}

/**
 * The plan sees the estimate averaged over at least this many bins either side (±4 s young, ±4%
 * of the age later), and over as many more as it takes to hold about `SMOOTHING_TASKS` tasks.
 */
const SMOOTHING_BINS = 8;
const SMOOTHING_TASKS = 4;
/** …but never over more than ±25% of the age. */
const SMOOTHING_MAX_SHARE = 0.25;

/** The second, fast-forgetting estimate the change detector compares against, in tasks of memory. */
const RECENT_MEMORY = 40;
/**
 * When the recent estimate has explained the latest observations better than the main one by this
 * much log-likelihood (a CUSUM: the sum restarts at 0 whenever it would go below), the workload
 * has changed, at the last time the sum was 0: the main estimate restarts from the recent one,
 * worth `RESTART_WEIGHT` tasks, and learns again the observations made since the change.
 */
const CHANGE_EVIDENCE = 6;
const RESTART_WEIGHT = 4;
/** At most this many observations are kept since the change point (the sum crosses the threshold sooner). */
const SINCE_CHANGE_LIMIT = 256;

/** What a prior the first tasks refute is still worth, in tasks. */
const REFUTED_PRIOR_WEIGHT = 2;

/** The achieved lag is averaged over about this many finished tasks. */
const LAG_MEMORY = 200;

/** Observations are learned at once; the schedule is re-planned once per this many (sooner at first, and at once after a change). */
export const REPLAN_EVERY = 64;

/**
 * One tracked task in this many is explored (read once inside the first gap, where the plan
 * never reads)… Each costs about one read more; fewer leave the lag noisier (BENCHMARKS §3).
 */
const EXPLORE_EVERY = 12;
/** …while at least this share of the finished tasks ended in the first gap: there the gap's inside decides the lag the price is tuned on. */
const EXPLORE_SHARE = 0.2;
/** Explored tasks are read at the shares `k·φ mod 1` of the gap (φ the golden ratio's fraction): spread evenly, the same run to run. */
const GOLDEN = 0.6180339887498949;

/** An observation learned since the last plan, with the end of the first gap its task was explored in (read inside of), when it was. */
type Reported = CadenceObservation & { exploredGapEndMs?: number };

/**
 * Creates a cadence that learns task durations and polls near the optimal schedule for them.
 * One instance shared by many streams (pass it as `interval`) learns from all of them: a finished
 * task is known to have ended between its last pending read and its terminal read; a stream that
 * ends otherwise says only that the task ran at least until its last pending read; a task still
 * running (streams `track` it) counts at each re-plan as running at its latest pending read.
 * Learning starts from `prior` (worth only 2 tasks once the tasks, those running too, refute it),
 * weighs recent tasks more, restarts from the recent tasks when a change detector sees the
 * workload change (in the finished tasks, or in running tasks outliving the estimate: a workload
 * that became longer shows there before any new task finishes), and costs O(grid) per task at
 * most; the schedule is re-planned every 64 tasks (sooner while the estimate stands for few
 * tasks, and at once after a change) on the estimate shrunk toward its log-normal (or
 * two-log-normal) fit as far as that fit agrees with it.
 * The price per request is tuned on the lag the finished tasks showed, read from the estimate's
 * shape between their last two reads; inside the first gap (from age 0 to the first planned read)
 * no read ever looks, so while at least a fifth of the tasks end there, one tracked task in 12 is
 * read once inside it (explored), and the shape there is learned from those (EM over the latest 256).
 * Deterministic: the same observations (and tasks tracked) give the same schedule.
 *
 * @param options - `meanLagMs`, `minIntervalMs`, `maxIntervalMs`, `prior`, `snapshot`
 * @returns an {@link AdaptiveCadence}
 * @throws TypeError at call time for a bad option
 * @example
 * ```ts
 * import { adaptiveCadence, mergeTasks } from 'camb-rx';
 * const cadence = adaptiveCadence({ meanLagMs: 7500 });
 * taskIds$.pipe(mergeTasks({ apiKey, interval: cadence })).subscribe(console.log);
 * ```
 */
export function adaptiveCadence(options: AdaptiveCadenceOptions = {}): AdaptiveCadence {
  if (typeof options !== 'object' || options === null) throw optionError('adaptiveCadence options', 'an object', options);
  assertKnownKeys(options, adaptiveCadenceOptionKeys);
  const merged = withDefaults({ meanLagMs: 5000, minIntervalMs: 1000, maxIntervalMs: 300_000 }, options);
  const meanLagMs = assertMs('meanLagMs', merged.meanLagMs, { min: 1 });
  const minIntervalMs = assertMs('minIntervalMs', merged.minIntervalMs);
  const maxIntervalMs = assertMs('maxIntervalMs', merged.maxIntervalMs, { min: Math.max(1, minIntervalMs) });
  const prior = resolvePrior(options.prior);
  const snapshot = options.snapshot === undefined ? undefined : assertSnapshot(options.snapshot, prior.weight);

  const gaps = { minGapMs: minIntervalMs, maxGapMs: maxIntervalMs };
  const priorBins = priorProbabilities(prior);
  const estimator = new DurationEstimator(cadenceGrid, priorBins, { ...ESTIMATOR_WEIGHTS, priorWeight: prior.weight }, snapshot && { probabilities: snapshot.distribution, observed: snapshot.observed, weight: snapshot.weight });
  const recent = new DurationEstimator(cadenceGrid, priorBins, { ...ESTIMATOR_WEIGHTS, priorWeight: prior.weight, memory: RECENT_MEMORY }, snapshot && { probabilities: snapshot.recentDistribution, observed: snapshot.observed, weight: snapshot.weight });
  /** How much better the recent estimate explained the latest observations (log-likelihood, CUSUM). */
  let evidence = snapshot?.evidence ?? 0;
  const fromJson = ([runningAtMs, finishedByMs]: [number, number | null]): CadenceObservation => (finishedByMs === null ? { runningAtMs } : { runningAtMs, finishedByMs });
  const toJson = ({ runningAtMs, finishedByMs }: CadenceObservation): [number, number | null] => [runningAtMs, finishedByMs ?? null];
  const reportedToJson = (reported: Reported): [number, number | null] | [number, number | null, number] => (reported.exploredGapEndMs === undefined ? toJson(reported) : [...toJson(reported), reported.exploredGapEndMs]);
  /** The observations since the evidence was last 0: the change point, should it cross the threshold. */
  const sinceChange: CadenceObservation[] = (snapshot?.sinceChange ?? []).map(fromJson);
  /** The observations learned since the last plan (a snapshot holds the state as at that plan, and these to learn again). */
  const pending: Reported[] = [];
  /**
   * What the finished tasks' lag is read from: the estimate shrunk toward its log-normal fit as far
   * as that fits (not smoothed: smoothing moves mass across reads, the lag is about where inside them).
   */
  const lagDistribution = new Float64Array(cadenceGrid.edges.length + 1);
  /** What the plan is solved on (rewritten at each re-plan). */
  const planned = new Float64Array(cadenceGrid.edges.length + 1);
  /** The tracked tasks still running, folded into the estimate the plan sees (not into the learned state). */
  const outlived = new OutlivedEvidence(cadenceGrid.edges.length + 1, () => restartOnOutlived());
  const running = new RunningTasks(cadenceGrid, outlived);
  /** The explored tasks, and the shape inside the first gap they show (applied to `lagDistribution` at each plan). */
  const firstGap = new FirstGapShape(cadenceGrid);
  for (const [runningAtMs, finishedByMs] of snapshot?.explored ?? []) firstGap.add(runningAtMs, finishedByMs ?? Infinity);
  /** The share of the finished tasks that ended in the first gap, recency-weighted: exploration's switch. */
  let firstGapShare = snapshot?.firstGapShare ?? 0;
  /** Tasks tracked while exploring: every EXPLORE_EVERY-th is explored, and their count says where in the gap it is read. */
  let trackedWhileExploring = snapshot?.exploration.tracked ?? 0;
  /** The explored task that ended just now (its last running age, and where its first gap ended; NaN: none): its observation comes next (a stream ends a track, then reports). */
  let endedExploredRunningAtMs = Number.NaN;
  let endedExploredGapEndMs = Number.NaN;
  /** The plan's, from the learned estimate: the same, smoothed first (planning on a raw estimate chases its noise); the running tasks' detector is measured against it too. */
  const problem = (learned: Float64Array) => {
    const estimate = running.foldInto(learned, estimator.effectiveTasks);
    outlived.fit(estimate);
    const { fit, share } = logNormalFit(cadenceGrid.edges, estimate, estimator.effectiveTasks);
    mixWith(fit, share, estimate, lagDistribution);
    const smoothed = smoothBins(cadenceGrid.edges, estimate, SMOOTHING_TASKS / estimator.effectiveTasks, SMOOTHING_BINS, SMOOTHING_MAX_SHARE);
    return { edges: cadenceGrid.edges, probabilities: mixWith(fit, share, smoothed, planned), ...gaps };
  };
  /** The mean lag the finished tasks showed, recency-weighted (estimated from their two reads). */
  let achievedLagMs = snapshot?.achievedLagMs ?? meanLagMs;
  /** What the plan aims at, as a share of `meanLagMs`: below 1 when the tasks lag more than plans promise. */
  let aim = snapshot?.aim ?? 1;
  /** The estimates as at the last plan, rewritten at each re-plan (what `snapshot()` copies). */
  const learnedAtPlanBins = new Float64Array(cadenceGrid.edges.length + 1);
  const recentAtPlanBins = new Float64Array(cadenceGrid.edges.length + 1);
  const firstEstimate = estimator.probabilities(learnedAtPlanBins);
  let plan: InspectionPlan = snapshot ? solveInspection({ ...problem(firstEstimate), requestCost: snapshot.requestCost }) : planForLag(problem(firstEstimate), meanLagMs);
  const nextDelayMs = (ageMs: number) => delayAtAge(cadenceGrid, plan, ageMs, minIntervalMs, maxIntervalMs);
  /** Where the plan's first gap ends (its first read after age 0; read for every finished task, so kept). */
  let firstReadMs = 0;
  /** Follows a new plan: its first gap, and the lag's shape inside it from the explored tasks. */
  const adoptPlan = (next: InspectionPlan) => {
    plan = next;
    firstReadMs = nextDelayMs(0);
    firstGap.reshape(lagDistribution, firstReadMs);
  };
  adoptPlan(plan);

  /** The learned state as at the last plan (`distribution`: the estimate that plan was made from): what `snapshot()` holds, with the observations learned since. */
  const learnedAtPlan = (distribution: Float64Array) => ({
    observed: estimator.observed,
    weight: estimator.weight,
    distribution,
    recentDistribution: recent.probabilities(recentAtPlanBins),
    evidence,
    sinceChange: sinceChange.slice(),
    achievedLagMs,
    aim,
    firstGapShare,
  });
  let atPlan = learnedAtPlan(firstEstimate);

  /**
   * The workload changed: the estimate restarts from the recent one, worth `RESTART_WEIGHT` tasks,
   * and learns again `relearn` (the observations since the change point); what was learned of the
   * first gap, and both change detectors' evidence, start afresh. Rare: O(bins) per observation relearned.
   */
  const restartEstimate = (relearn: readonly CadenceObservation[]) => {
    estimator.restartFrom(recent, RESTART_WEIGHT, relearn);
    firstGap.clear();
    outlived.clear();
    evidence = 0;
    sinceChange.length = 0;
  };
  /** …then the recent estimate follows it, and the lag tuning starts afresh (the lag the tasks showed was the old workload's, read on the old plan). */
  const restartRecentAndLag = () => {
    recent.restartFrom(estimator, estimator.weight);
    achievedLagMs = meanLagMs;
    aim = 1;
  };

  /**
   * Learns one observation at once, O(bins between its ages): the change detector first (when
   * the workload changed, the estimate restarts from the recent one and learns again the
   * observations since the change point), then the estimate, and the lag it showed.
   *
   * @returns whether the workload changed
   */
  const learn = (observation: CadenceObservation): boolean => {
    evidence = Math.max(0, evidence + Math.log(Math.max(1e-12, recent.likelihood(observation)) / Math.max(1e-12, estimator.likelihood(observation))));
    if (evidence === 0) sinceChange.length = 0;
    else if (sinceChange.length < SINCE_CHANGE_LIMIT) sinceChange.push(observation);
    recent.add(observation);
    const changed = evidence > CHANGE_EVIDENCE;
    if (changed) restartEstimate(sinceChange.slice(0, -1));
    estimator.add(observation);
    if (changed) restartRecentAndLag();
    if (observation.finishedByMs !== undefined) {
      outlived.ended();
      achievedLagMs += (expectedLagMs(cadenceGrid, lagDistribution, observation.runningAtMs, observation.finishedByMs) - achievedLagMs) / LAG_MEMORY;
      firstGapShare += (Number(observation.runningAtMs < firstReadMs) - firstGapShare) / LAG_MEMORY;
    }
    return changed;
  };

  /**
   * Re-plans at a new price: one step on log c toward the target, from the lag the last plan
   * predicted (lag grows about as √c), then the plan for what is now known.
   */
  const replan = () => {
    // Once the tasks (those running too) refute the prior, it is kept worth only `REFUTED_PRIOR_WEIGHT` tasks.
    const observedAlone = prior.weight > REFUTED_PRIOR_WEIGHT ? estimator.withoutPrior() : undefined;
    if (observedAlone && priorRefuted(running.foldInto(observedAlone, estimator.observed), priorBins, estimator.observed + running.size)) {
      const weight = estimator.observed + REFUTED_PRIOR_WEIGHT;
      estimator.restartWith(mixWith(priorBins, REFUTED_PRIOR_WEIGHT / weight, observedAlone), weight);
      recent.restartFrom(estimator, estimator.weight);
    }
    // The plan's own promise, corrected by how far the tasks' lag has strayed from it.
    aim = Math.min(2, Math.max(0.5, aim * Math.sqrt(meanLagMs / Math.max(1, achievedLagMs))));
    const factor = Math.min(4, Math.max(0.25, ((aim * meanLagMs) / Math.max(1, plan.expectedLagMs)) ** 2));
    const requestCost = Math.min(REQUEST_COST_RANGE.max, Math.max(REQUEST_COST_RANGE.min, plan.requestCost * factor));
    const learned = estimator.probabilities(learnedAtPlanBins);
    // The new plan is written over the old one's arrays: nothing reads the old one any more.
    adoptPlan(solveInspection({ ...problem(learned), requestCost }, plan));
    pending.length = 0;
    atPlan = learnedAtPlan(learned);
    // As a cadence resumed from this plan's snapshot holds them: the two then learn alike to the last bit.
    estimator.settle();
    recent.settle();
  };

  /**
   * The running tasks outlive the estimate: when it has learned a workload (it stands for its
   * whole memory), that workload changed before any of the new tasks finished, so it restarts as
   * on a change seen in finished tasks, and re-plans at once. A younger estimate is left alone:
   * the running tasks already weigh enough in its plans, and a restart would throw away what it learned.
   */
  const restartOnOutlived = () => {
    if (estimator.weight < ESTIMATOR_WEIGHTS.memory) return;
    restartEstimate(sinceChange);
    restartRecentAndLag();
    replan();
  };

  /**
   * Learns each observation at once (an explored task's also for the first gap's shape:
   * `exploredGapEndMs` is where its gap ended); re-plans once per half the tasks the estimate
   * stands for (from 4: early tasks teach a lot, as do the first after a restart) up to
   * `REPLAN_EVERY`, and at once when the workload changed.
   */
  const learnReported = ({ runningAtMs, finishedByMs }: CadenceObservation, exploredGapEndMs?: number): void => {
    if (!(runningAtMs >= 0) || (finishedByMs !== undefined && !(finishedByMs >= 0))) return;
    // An explored task says where inside the first gap it ended, or that it ended past it.
    if (exploredGapEndMs !== undefined) firstGap.add(Math.min(runningAtMs, exploredGapEndMs), runningAtMs < exploredGapEndMs ? (finishedByMs ?? Infinity) : Infinity);
    if (finishedByMs === undefined && runningAtMs === 0) return; // nothing learned
    const observation = finishedByMs === undefined ? { runningAtMs } : { runningAtMs, finishedByMs };
    const changed = learn(observation);
    pending.push(exploredGapEndMs === undefined ? observation : { ...observation, exploredGapEndMs });
    if (changed || pending.length >= Math.min(REPLAN_EVERY, Math.max(4, atPlan.weight / 2))) replan();
  };
  for (const [runningAtMs, finishedByMs, exploredGapEndMs] of snapshot?.pending ?? []) learnReported(fromJson([runningAtMs, finishedByMs]), exploredGapEndMs);

  /** What an explored task asks of the cadence. */
  const exploring = {
    nextDelayMs,
    minIntervalMs,
    exploredEnded: (runningAtMs: number, gapEndMs: number) => {
      endedExploredRunningAtMs = runningAtMs;
      endedExploredGapEndMs = gapEndMs;
    },
  };

  return {
    nextDelayMs,
    observe: (observation) => {
      // The task that ended just before was explored when this is its observation.
      const exploredGapEndMs = endedExploredRunningAtMs === observation.runningAtMs ? endedExploredGapEndMs : undefined;
      endedExploredRunningAtMs = endedExploredGapEndMs = Number.NaN;
      learnReported(observation, exploredGapEndMs);
    },
    track: () => {
      const task = running.track();
      if (!(firstGapShare >= EXPLORE_SHARE) || ++trackedWhileExploring % EXPLORE_EVERY !== 0) return task;
      // The k-th explored task (one in every EXPLORE_EVERY tracked) is read at the share k·φ mod 1 of the gap.
      return new ExploringTask(task, exploring, ((trackedWhileExploring / EXPLORE_EVERY) * GOLDEN) % 1);
    },
    snapshot: () => ({
      version: 3,
      grid: { ...CADENCE_GRID_SPEC },
      ...atPlan,
      distribution: Array.from(atPlan.distribution),
      recentDistribution: Array.from(atPlan.recentDistribution),
      sinceChange: atPlan.sinceChange.map(toJson),
      requestCost: plan.requestCost,
      explored: firstGap.keptAtReshape(),
      exploration: { tracked: trackedWhileExploring, explored: Math.floor(trackedWhileExploring / EXPLORE_EVERY) },
      pending: pending.map(reportedToJson),
    }),
    get observed() {
      return estimator.observed;
    },
  };
}
