/** Entries per chunk: 8 KiB of references, a small object the young generation takes in stride. */
const CHUNK_SIZE = 1024;

/** One fixed-size block of a {@link ChunkedQueue}, linked to the next. */
interface Chunk<T> {
  readonly items: (T | undefined)[];
  next: Chunk<T> | undefined;
}

const newChunk = <T>(): Chunk<T> => ({ items: new Array<T | undefined>(CHUNK_SIZE), next: undefined });

/**
 * A first-in first-out queue stored in fixed-size chunks: `push` and `shift` are O(1) and never
 * copy or reallocate what is already queued, so a queue that grows to 100,000 entries in one
 * synchronous run costs 100 small allocations instead of a series of ever larger array copies (a
 * plain array's growth, or its compaction after `shift`s, moves every entry in one go, and the
 * larger copies are fresh memory in a large-object space).
 *
 * @internal
 */
export class ChunkedQueue<T> {
  private head: Chunk<T> = newChunk();
  private tail: Chunk<T> = this.head;
  /** Where the next entry is read in `head`. */
  private readIndex = 0;
  /** Where the next entry is written in `tail`. */
  private writeIndex = 0;
  private count = 0;

  /** Entries queued. */
  get size(): number {
    return this.count;
  }

  /** Adds `item` at the end. */
  push(item: T): void {
    if (this.writeIndex === CHUNK_SIZE) {
      const chunk = newChunk<T>();
      this.tail.next = chunk;
      this.tail = chunk;
      this.writeIndex = 0;
    }
    this.tail.items[this.writeIndex++] = item;
    this.count++;
  }

  /** Takes the first entry out, or `undefined` when the queue is empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    if (this.readIndex === CHUNK_SIZE) {
      this.head = this.head.next as Chunk<T>; // count > 0: the next chunk exists
      this.readIndex = 0;
    }
    const items = this.head.items;
    const item = items[this.readIndex];
    items[this.readIndex++] = undefined; // the queue keeps no reference to what it handed out
    if (--this.count === 0) this.readIndex = this.writeIndex = 0; // empty: head is tail, reused from its start
    return item;
  }

  /** Drops every entry. */
  clear(): void {
    this.head = this.tail = newChunk();
    this.readIndex = this.writeIndex = 0;
    this.count = 0;
  }
}
