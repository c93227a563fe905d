import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binAfter, cadenceGrid, edgeAtOrAbove, edgeAtOrBelow } from '../../src/cadence/duration-grid.js';

const { edges } = cadenceGrid;

describe('the grid edges around an age', () => {
  it('edgeAtOrBelow and edgeAtOrAbove bracket every age: the same edge on an edge, neighbours between (property)', () => {
    const onEdge = fc.integer({ min: 0, max: edges.length - 1 }).map((i) => edges[i]!);
    const anywhere = fc.double({ min: 0, max: edges[edges.length - 1]!, noNaN: true });
    fc.assert(
      fc.property(fc.oneof(onEdge, anywhere), (ageMs) => {
        const below = edgeAtOrBelow(cadenceGrid, ageMs);
        const above = edgeAtOrAbove(cadenceGrid, ageMs);
        expect(edges[below]).toBeLessThanOrEqual(ageMs);
        expect(edges[above]).toBeGreaterThanOrEqual(ageMs);
        expect(above - below).toBe(edges[below] === ageMs ? 0 : 1);
      }),
    );
  });

  it('edgeAtOrAbove is past the last edge (edges.length) for an age beyond the grid', () => {
    expect(edgeAtOrAbove(cadenceGrid, edges[edges.length - 1]! + 1)).toBe(edges.length);
    expect(edgeAtOrAbove(cadenceGrid, edges[edges.length - 1]!)).toBe(edges.length - 1);
  });

  it('binAfter is the bin a duration just longer than the age lies in, the one beyond the grid past the last edge (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: edges[edges.length - 1]! * 2, noNaN: true }), (ageMs) => {
        const bin = binAfter(cadenceGrid, ageMs);
        expect(edges[bin - 1]).toBeLessThanOrEqual(ageMs);
        if (bin < edges.length) expect(edges[bin]).toBeGreaterThan(ageMs);
        else expect(ageMs).toBeGreaterThanOrEqual(edges[edges.length - 1]!);
      }),
    );
  });
});
