import { describe, expect, it } from 'vitest';
import { ShardedMap } from '../../src/util/sharded-map.js';

describe('ShardedMap', () => {
  it('holds, finds and forgets keys as a Map does, with its size kept', () => {
    const map = new ShardedMap<number>();
    const keys = [...Array.from({ length: 2000 }, (_, i) => `task-${i}`), '', 'é', '0f8fad5b-d9cb-469f-a165-70867728950e'];
    keys.forEach((key, i) => map.set(key, i));
    map.set('task-7', -7); // an existing key: replaced, not counted twice
    expect(map.size).toBe(keys.length);
    expect(keys.every((key) => map.has(key))).toBe(true);
    expect(map.has('task-2000')).toBe(false);
    expect(map.delete('task-3')).toBe(true);
    expect(map.delete('task-3')).toBe(false);
    expect(map.has('task-3')).toBe(false);
    expect(map.size).toBe(keys.length - 1);
    expect([...map.values()].sort((a, b) => a - b)).toEqual(keys.map((_, i) => (i === 7 ? -7 : i)).filter((v) => v !== 3).sort((a, b) => a - b));
  });

  it('spreads sequential ids over its shards, so no one map holds them all', () => {
    const map = new ShardedMap<number>();
    for (let i = 0; i < 6400; i++) map.set(`t${i}`, i);
    const shardSizes = (map as unknown as { shards: (Map<string, number> | undefined)[] }).shards.map((shard) => shard?.size ?? 0);
    expect(shardSizes).toHaveLength(64);
    expect(Math.max(...shardSizes)).toBeLessThan(6400 / 8);
  });

  it('is empty after clear', () => {
    const map = new ShardedMap<string>();
    map.set('a', 'x');
    map.clear();
    expect(map.size).toBe(0);
    expect(map.has('a')).toBe(false);
    expect([...map.values()]).toEqual([]);
  });
});
