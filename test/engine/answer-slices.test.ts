import { describe, expect, it } from 'vitest';
import { turnByTurnScheduler } from '../_helpers/turn-by-turn-scheduler.js';
import { AnswerSlices } from '../../src/engine/answer-slices.js';
import { SLICE_BUDGET_MS } from '../../src/engine/slice-budget.js';

/** Answers on a scheduler run turn by turn and a clock that only a costly answer moves, recording which ran. */
function setup() {
  const scheduler = turnByTurnScheduler();
  let now = 0;
  const slices = new AnswerSlices(scheduler.scheduler, () => now);
  const handled: string[] = [];
  const answer = (name: string, costly = false) => () => {
    if (costly) now += SLICE_BUDGET_MS + 1; // longer than a slice's budget
    handled.push(name);
  };
  return { scheduler, slices, handled, answer };
}

describe('AnswerSlices', () => {
  it('handles answers at once while the slice has time left, and books one turn to end the slice', () => {
    const { scheduler, slices, handled, answer } = setup();
    for (const name of ['a', 'b', 'c']) slices.handle(answer(name));
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(scheduler.pending).toBe(1);
    scheduler.turn();
    expect(scheduler.pending).toBe(0);
  });

  it('queues answers once the slice’s budget is spent and handles them, in order, on the next turn', () => {
    const { scheduler, slices, handled, answer } = setup();
    slices.handle(answer('costly', true));
    for (const name of ['a', 'b', 'c']) slices.handle(answer(name));
    expect(handled).toEqual(['costly']);
    scheduler.turn();
    expect(handled).toEqual(['costly', 'a', 'b', 'c']);
  });

  it('goes on in further turns while queued answers outlast a slice, and queues new answers behind them', () => {
    const { scheduler, slices, handled, answer } = setup();
    slices.handle(answer('first', true));
    slices.handle(answer('second', true));
    slices.handle(answer('third', true));
    expect(handled).toEqual(['first']);
    scheduler.turn();
    expect(handled).toEqual(['first', 'second']);
    slices.handle(answer('late')); // the slice is spent and 'third' waits: 'late' goes behind it
    expect(handled).toEqual(['first', 'second']);
    scheduler.turn();
    expect(handled).toEqual(['first', 'second', 'third']);
    scheduler.turn();
    expect(handled).toEqual(['first', 'second', 'third', 'late']);
    scheduler.turn();
    expect(scheduler.pending).toBe(0);
  });

  it('drops queued answers and the booked turn on close', () => {
    const { scheduler, slices, handled, answer } = setup();
    slices.handle(answer('costly', true));
    slices.handle(answer('dropped'));
    slices.close();
    expect(scheduler.pending).toBe(0);
    scheduler.turn();
    expect(handled).toEqual(['costly']);
  });
});
