import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planForLag, solveInspection } from '../../src/cadence/inspection-plan.js';

/** Expected lag + c·requests of one schedule (read ages as edge indices, first read at 0 counted). */
function scheduleCost(edges: Float64Array, p: Float64Array, reads: number[], c: number) {
  let lag = 0;
  let requests = 1;
  let survival = 1 - p[0]!;
  let previous = 0;
  for (const j of reads) {
    requests += survival;
    for (let k = previous + 1; k <= j; k++) {
      lag += p[k]! * (edges[j]! - (edges[k - 1]! + edges[k]!) / 2);
      survival -= p[k]!;
    }
    previous = j;
  }
  return { lag, requests, cost: lag + c * requests };
}

/** Every increasing read sequence that ends at the last edge. */
function* schedules(from: number, last: number): Generator<number[]> {
  if (from === last) {
    yield [];
    return;
  }
  for (let j = from + 1; j <= last; j++) for (const rest of schedules(j, last)) yield [j, ...rest];
}

const problemArb = fc
  .record({
    gaps: fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 2, maxLength: 9 }),
    weights: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }),
    c: fc.double({ min: 0.01, max: 500, noNaN: true }),
  })
  .filter(({ gaps, weights }) => weights.slice(0, gaps.length).reduce((a, b) => a + b, 0) > 0.01) // the weights used: one per bin
  .map(({ gaps, weights, c }) => {
    const edges = Float64Array.from([0, ...gaps.map((_, i) => gaps.slice(0, i + 1).reduce((a, b) => a + b, 0))]);
    const raw = [0, ...weights.slice(0, edges.length - 1), 0];
    const total = raw.reduce((a, b) => a + b, 0);
    return { edges, probabilities: Float64Array.from(raw.map((w) => w / total)), c };
  });

/** Durations uniform over (19.5 s, 200 s] on a 0.5 s grid to 300 s, reads 0.5 s to 300 s apart (no price yet). */
function uniformProblem() {
  const edges = Float64Array.from({ length: 601 }, (_, i) => i * 500);
  const probabilities = new Float64Array(602);
  for (let k = 40; k <= 400; k++) probabilities[k] = 1 / 361;
  return { edges, probabilities, minGapMs: 500, maxGapMs: 300_000 };
}

describe('solveInspection', () => {
  it('finds the cheapest schedule: equal to exhaustive search on small grids (property)', () => {
    fc.assert(
      fc.property(problemArb, ({ edges, probabilities, c }) => {
        const plan = solveInspection({ edges, probabilities, requestCost: c, minGapMs: 0, maxGapMs: 1 });
        const last = edges.length - 1;
        let best = Infinity;
        for (const reads of schedules(0, last)) best = Math.min(best, scheduleCost(edges, probabilities, reads, c).cost);
        expect(plan.expectedLagMs + c * plan.expectedRequests).toBeCloseTo(best, 6);
        // And the plan's own path costs what it says.
        const path: number[] = [];
        for (let i = 0; i !== last; i = plan.next[i]!) path.push(plan.next[i]!);
        const own = scheduleCost(edges, probabilities, path, c);
        expect(own.lag).toBeCloseTo(plan.expectedLagMs, 6);
        expect(own.requests).toBeCloseTo(plan.expectedRequests, 6);
      }),
      { numRuns: 200 },
    );
  });

  it('trades requests for lag as the price rises, and planForLag meets a reachable target', () => {
    const problem = uniformProblem();
    const cheap = solveInspection({ ...problem, requestCost: 100 });
    const dear = solveInspection({ ...problem, requestCost: 100_000 });
    expect(dear.expectedRequests).toBeLessThan(cheap.expectedRequests);
    expect(dear.expectedLagMs).toBeGreaterThan(cheap.expectedLagMs);
    expect(planForLag(problem, 5000).expectedLagMs).toBeCloseTo(5000, -2);
  });

  it('writes a plan into the arrays it is given, the same plan a fresh solve makes', () => {
    const problem = uniformProblem();
    const old = solveInspection({ ...problem, requestCost: 100 });
    const fresh = solveInspection({ ...problem, requestCost: 10_000 });
    const reused = solveInspection({ ...problem, requestCost: 10_000 }, old);
    expect(reused.next).toBe(old.next);
    expect(reused.delays).toBe(old.delays);
    expect(Array.from(reused.next)).toEqual(Array.from(fresh.next));
    expect(Array.from(reused.delays)).toEqual(Array.from(fresh.delays));
    expect(reused.expectedRequests).toBe(fresh.expectedRequests);
    // Arrays of another length are not used.
    expect(solveInspection({ ...problem, requestCost: 10_000 }, { next: new Int32Array(3), delays: new Float64Array(3) }).next).toHaveLength(601);
  });
});
