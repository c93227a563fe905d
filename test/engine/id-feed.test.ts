import { describe, expect, it } from 'vitest';
import { IdFeed } from '../../src/engine/id-feed.js';
import { sliceClock } from '../../src/engine/slice-budget.js';
import { turnByTurnScheduler } from '../_helpers/turn-by-turn-scheduler.js';

/** A feed on a scheduler run turn by turn, recording the ids each turn took. */
function setup(costMsPerId = 0) {
  const turns = turnByTurnScheduler();
  const taken: string[] = [];
  const feed = new IdFeed(turns.scheduler, (id) => {
    const start = sliceClock();
    while (sliceClock() - start < costMsPerId);
    taken.push(id);
  });
  /** Runs turns until the queue is empty; the ids each took. */
  const perTurn = (): number[] => {
    const counts: number[] = [];
    for (let before = taken.length; feed.pending > 0; before = taken.length) {
      turns.turn();
      counts.push(taken.length - before);
    }
    return counts;
  };
  return { turns, feed, taken, perTurn };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);

describe('IdFeed', () => {
  it('takes the first slice of a burst at once and the rest in later turns, in order, each once', () => {
    const { feed, taken, perTurn, turns } = setup();
    for (const id of ids(5000)) feed.push(id);
    const first = taken.length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(5000);
    expect(perTurn().length).toBeGreaterThan(0);
    expect(taken).toEqual(ids(5000));
    expect(turns.pending).toBe(0);
  });

  it('grows its slice by at most half a turn, from 64 ids, however cheap the ids', () => {
    const { feed, perTurn } = setup();
    for (const id of ids(20_000)) feed.push(id);
    const counts = perTurn();
    // A slice may take fewer ids than its cap (its clock ran out), never more: the caps bound it.
    let cap = 64;
    for (const count of counts) {
      cap = Math.ceil(cap * 1.5);
      expect(count).toBeLessThanOrEqual(cap);
    }
    expect(Math.max(...counts)).toBeGreaterThan(64 * 1.5); // it did grow
  });

  it('shrinks its slice to the budget when the ids turn out costly', () => {
    const { feed, perTurn } = setup(0.5); // 0.5 ms an id: 4 fit half a 4 ms slice, and a slice takes at least 16
    for (const id of ids(200)) feed.push(id);
    const counts = perTurn();
    expect(Math.max(...counts.slice(1, -1))).toBeLessThanOrEqual(16); // at 64 a slice, unshrunk, it would hold the loop 32 ms
  });

  it('drops queued ids and the booked turn on close', () => {
    const { feed, taken, turns } = setup();
    for (const id of ids(5000)) feed.push(id);
    const first = taken.length;
    feed.close();
    expect(feed.pending).toBe(0);
    expect(turns.pending).toBe(0);
    turns.turn();
    expect(taken).toHaveLength(first);
  });
});
