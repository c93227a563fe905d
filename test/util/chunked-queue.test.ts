import { describe, expect, it } from 'vitest';
import { ChunkedQueue } from '../../src/util/chunked-queue.js';

/** Takes everything out of `queue`, in order. */
function drain<T>(queue: ChunkedQueue<T>): T[] {
  const out: T[] = [];
  while (queue.size > 0) out.push(queue.shift() as T);
  return out;
}

describe('ChunkedQueue', () => {
  it('hands entries back first in, first out, across many chunks', () => {
    const queue = new ChunkedQueue<number>();
    const values = Array.from({ length: 5000 }, (_, i) => i);
    for (const value of values) queue.push(value);
    expect(queue.size).toBe(5000);
    expect(drain(queue)).toEqual(values);
    expect(queue.shift()).toBeUndefined();
  });

  it('keeps its order when pushes and shifts interleave over chunk edges, and when emptied and filled again', () => {
    const queue = new ChunkedQueue<number>();
    const expected: number[] = [];
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 97; i++) (queue.push(next), expected.push(next++));
      for (let i = 0; i < 61; i++) out.push(queue.shift() as number);
    }
    out.push(...drain(queue));
    expect(out).toEqual(expected);
    queue.push(-1);
    expect(drain(queue)).toEqual([-1]);
  });

  it('drops everything on clear and works on afterwards', () => {
    const queue = new ChunkedQueue<string>();
    for (let i = 0; i < 3000; i++) queue.push(`id-${i}`);
    queue.shift();
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
    queue.push('a');
    queue.push('b');
    expect(drain(queue)).toEqual(['a', 'b']);
  });
});
