/**
 * A cadence whose every call, and every call to the handles its `track()` gives, goes through
 * `around(method, call)`: `method` names it (`nextDelayMs`, `observe`, `track`, and the handles'
 * `pending`, `end`, `taskNextDelayMs`), and `around` must make the call and return its result.
 * For benchmarks that watch a cadence from outside (when it restarts, how long its calls take).
 *
 * @example
 * const timed = aroundCadence(adaptiveCadence(), (method, call) => { const t = performance.now(); try { return call(); } finally { spent += performance.now() - t; } });
 */
export function aroundCadence(cadence, around) {
  const aroundTask = (task) => ({
    pending: (ageMs) => around('pending', () => task.pending(ageMs)),
    end: () => around('end', () => task.end()),
    ...(task.nextDelayMs && { nextDelayMs: (ageMs) => around('taskNextDelayMs', () => task.nextDelayMs(ageMs)) }),
  });
  return {
    nextDelayMs: (ageMs) => around('nextDelayMs', () => cadence.nextDelayMs(ageMs)),
    observe: (observation) => around('observe', () => cadence.observe(observation)),
    track: () => aroundTask(around('track', () => cadence.track())),
    snapshot: () => cadence.snapshot(),
  };
}
