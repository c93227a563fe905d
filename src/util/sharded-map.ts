/** Shards of a {@link ShardedMap}: a power of two, so that a shard is a hash's low bits. */
const SHARDS = 64;

/** A string's shard: a 31-multiplier hash of its characters (as Java's `String.hashCode`), low bits. */
function shardOf(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
  return hash & (SHARDS - 1);
}

/**
 * A `Map` from strings split over {@link SHARDS} smaller maps (made when first used), with the
 * operations the engine needs. A `Map` grows by rehashing every entry into a table twice the size
 * inside one `set`: at 65,536 entries that one call moves them all (and allocates megabytes) while
 * the event loop waits. Split, each rehash moves a shard's share, 1/64 of it.
 *
 * @internal
 */
export class ShardedMap<V> {
  private readonly shards: (Map<string, V> | undefined)[] = new Array<Map<string, V> | undefined>(SHARDS);
  private count = 0;

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    return this.shards[shardOf(key)]?.has(key) ?? false;
  }

  set(key: string, value: V): void {
    const index = shardOf(key);
    const shard = (this.shards[index] ??= new Map<string, V>());
    const before = shard.size;
    shard.set(key, value);
    this.count += shard.size - before;
  }

  delete(key: string): boolean {
    const deleted = this.shards[shardOf(key)]?.delete(key) ?? false;
    if (deleted) this.count--;
    return deleted;
  }

  /** Every value, shard by shard (not in insertion order). */
  *values(): IterableIterator<V> {
    for (const shard of this.shards) if (shard) yield* shard.values();
  }

  /** Drops every entry. */
  clear(): void {
    this.shards.fill(undefined);
    this.count = 0;
  }
}
