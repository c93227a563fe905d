import { describe, expect, it } from 'vitest';
import { ExploringTask } from '../../src/cadence/exploring-task.js';
import type { CadenceTrack } from '../../src/cadence/poll-cadence.js';

/** A plan that reads 20 s after age 0 and 10 s after anything later; records what its task and explored ends see. */
function setUp(at: number) {
  const inner = { pending: [] as number[], ends: 0 };
  const task: CadenceTrack = { pending: (ageMs) => inner.pending.push(ageMs), end: () => inner.ends++ };
  const ended: [number, number][] = [];
  const cadence = { nextDelayMs: (ageMs: number) => (ageMs < 1000 ? 20_000 : 10_000), minIntervalMs: 1000, exploredEnded: (runningAtMs: number, gapEndMs: number) => ended.push([runningAtMs, gapEndMs]) };
  return { explored: new ExploringTask(task, cadence, at), inner, ended };
}

describe('ExploringTask', () => {
  it('reads once inside the first gap, at its share of the room 1 s from either end, then as planned; it ends once, naming the gap', () => {
    const { explored, inner, ended } = setUp(0.5);
    explored.pending(0);
    expect(explored.nextDelayMs(0)).toBe(1000 + 0.5 * 18_000);
    explored.pending(10_000);
    expect(explored.nextDelayMs(10_000)).toBe(10_000); // the plan's, from where it is
    explored.end();
    explored.end();
    expect(inner).toEqual({ pending: [0, 10_000], ends: 1 });
    expect(ended).toEqual([[10_000, 20_000]]);
  });

  it('is not explored when its first read came late (a task watched after it was created) or the gap leaves no room', () => {
    const late = setUp(0.5);
    late.explored.pending(5000);
    expect(late.explored.nextDelayMs(5000)).toBe(10_000);
    late.explored.end();
    expect(late.ended).toEqual([]);
    const cramped = new ExploringTask({ pending: () => {}, end: () => {} }, { nextDelayMs: () => 1500, minIntervalMs: 1000, exploredEnded: () => expect.unreachable() }, 0.5);
    expect(cramped.nextDelayMs(0)).toBe(1500);
    cramped.end();
  });
});
