/**
 * The longest the engine holds the event loop in one go, in ms: a slice of incoming ids, or a
 * batch of timers that came due together, stops after this long and goes on in the next turn.
 *
 * @internal
 */
export const SLICE_BUDGET_MS = 4;

/**
 * A monotonic clock in ms for measuring slices (never the scheduler's: a slice is real time even
 * under a virtual-time scheduler).
 *
 * @internal
 */
export const sliceClock: () => number = typeof performance === 'object' ? () => performance.now() : () => Date.now();
