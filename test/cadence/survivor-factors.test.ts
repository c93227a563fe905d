import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { survivorFactors } from '../../src/cadence/survivor-factors.js';

describe('survivorFactors', () => {
  it('hands out exactly the tasks counted, each over the mass from its bin on (property)', () => {
    // Bin masses as an estimate holds them: none, or at least a millionth (not denormal).
    const binsArb = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1, noNaN: true })), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(binsArb, fc.array(fc.nat(5), { maxLength: 40 }), (weights, rawCounts) => {
        const probabilities = Float64Array.from(weights);
        const counts = Float64Array.from(weights, (_, k) => rawCounts[k] ?? 0);
        const last = weights.length - 1;
        const survival = new Float64Array(weights.length + 1);
        const factors = new Float64Array(weights.length);
        survivorFactors(probabilities, counts, last, survival, factors);
        // Every task whose bin has mass from it on is handed out whole, and only from its bin on.
        const handedOut = probabilities.reduce((sum, p, k) => sum + p * factors[k]!, 0);
        const placeable = counts.reduce((sum, c, k) => sum + (survival[k]! > 0 ? c : 0), 0);
        expect(handedOut).toBeCloseTo(placeable, 9);
        const firstCounted = counts.findIndex((c, k) => c > 0 && survival[k]! > 0);
        for (let k = 0; k < (firstCounted < 0 ? weights.length : firstCounted); k++) expect(factors[k]).toBe(0);
      }),
    );
  });

  it('one uniform case by hand: two tasks past bin 3 of 4 equal bins share its last two', () => {
    const survival = new Float64Array(6);
    const factors = new Float64Array(5);
    survivorFactors(Float64Array.of(0, 0.25, 0.25, 0.25, 0.25), Float64Array.of(0, 0, 0, 2, 0), 4, survival, factors);
    expect(Array.from(factors)).toEqual([0, 0, 0, 4, 4]);
    expect(Array.from(survival)).toEqual([1, 1, 0.75, 0.5, 0.25, 0]);
  });
});
