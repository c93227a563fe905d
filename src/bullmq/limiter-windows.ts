/**
 * BullMQ's queue limiter as camb-rx configures it: at most `max` jobs start in each window of
 * `duration` ms, and a window opens at the first start after the previous one closed.
 *
 * @example
 * ```ts
 * import { limiterWindows } from 'camb-rx/bullmq';
 * const { max, duration } = limiterWindows(1000, 25); // { max: 50, duration: 54 }
 * ```
 */
export interface LimiterWindows {
  /** Jobs that may start in one window. */
  readonly max: number;
  /** The window's length in ms. */
  readonly duration: number;
  /** The most requests that can reach the server in any one second with these windows. */
  readonly worstSecond: number;
}

/** Shorter windows would gain little and cost a Redis round trip per worker per window. */
const MIN_WINDOW_MS = 20;

/**
 * How much later than back to back windows follow each other, as counted when choosing them: a
 * window opens at the first start after the previous one expired, i.e. once a rate-limited worker
 * woke at the expiry and made a Redis round trip. Only the choice depends on it, never the bound:
 * with it, longer windows win (at 1,000/s and 40 ms of slack, 37 per 40 ms: 881/s with 2 ms between
 * windows, where 27 per 29 ms, the best back to back, gives 871/s).
 */
const WINDOW_OPENING_MS = 2;

/**
 * The fastest BullMQ limiter whose starts never put more than `maxRequestsPerSecond` requests
 * into any sliding second at the server, when each request arrives between 0 and `slackMs` after
 * its job started (any fixed latency on top shifts every arrival alike and changes nothing).
 *
 * Why it holds: BullMQ counts starts in a key that expires `duration` after the window's first
 * start, so window i admits its starts in `[sᵢ, sᵢ + duration]` and the next one opens later than
 * `sᵢ + duration`. Arrivals in a closed second `[a, a + 1000]` come from starts in
 * `[a − slackMs, a + 1000]`, an interval of length `L = 1000 + slackMs`; a window reaches it only
 * if `sᵢ ∈ [a − slackMs − duration, a + 1000]`, length `L + duration`, and window openings are
 * more than `duration` apart, so at most `ceil(L / duration) + 1` windows do. Each admits `max`,
 * so `max = floor(R / (ceil(L / duration) + 1))` keeps the second at `R` or below. The plain
 * `{ max: R, duration: 1000 }` allows `2R` (two full windows, back to back).
 *
 * @param maxRequestsPerSecond - the budget R at the server
 * @param slackMs - the spread of the delay from a job's start to its arrival at the server
 * @returns the windows with the highest sustained rate, `max · 1000 / duration` when back to back,
 *   counting the 2 ms a window takes to open (`WINDOW_OPENING_MS`) between them
 * @throws RangeError when even one request per window would break the bound
 * @example
 * ```ts
 * import { limiterWindows } from 'camb-rx/bullmq';
 * limiterWindows(1000, 25); // { max: 50, duration: 54, worstSecond: 1000 }
 * ```
 */
export function limiterWindows(maxRequestsPerSecond: number, slackMs: number): LimiterWindows {
  const span = 1000 + slackMs;
  let best: LimiterWindows | undefined;
  // Windows longer than the span gain nothing: two of them still meet it.
  for (let duration = MIN_WINDOW_MS; duration <= span; duration++) {
    const windows = windowsMeeting(span, duration);
    const max = Math.floor(maxRequestsPerSecond / windows);
    if (max >= 1 && (!best || max / (duration + WINDOW_OPENING_MS) > best.max / (best.duration + WINDOW_OPENING_MS))) best = { max, duration, worstSecond: max * windows };
  }
  if (!best) throw new RangeError(`camb-rx: a budget of ${maxRequestsPerSecond} requests per second is too small to split (at least 2 are needed)`);
  return best;
}

/** How many limiter windows can admit starts into one interval of `span` ms (see {@link limiterWindows}). */
export function windowsMeeting(span: number, duration: number): number {
  return Math.ceil(span / duration) + 1;
}
