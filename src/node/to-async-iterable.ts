import { Observable, type Subscriber } from 'rxjs';
import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { optionError, withDefaults } from '../util/assert-option.js';

/**
 * What `toAsyncIterable` does when a value arrives and its buffer is full.
 *
 * @example
 * ```ts
 * import { OverflowStrategies, toAsyncIterable } from 'camb-rx/node';
 * toAsyncIterable(status$, { bufferSize: 1, overflow: OverflowStrategies.dropOldest });
 * ```
 */
export const OverflowStrategies = {
  /** Tear the subscription down; the loop gets the buffered values, then throws a `RangeError`. */
  error: 'error',
  /** Forget the oldest waiting value: right for status streams, where the latest one counts. */
  dropOldest: 'drop-oldest',
} as const;

/**
 * One of the {@link OverflowStrategies}.
 *
 * @example
 * ```ts
 * import type { OverflowStrategy } from 'camb-rx/node';
 * const overflow: OverflowStrategy = 'drop-oldest';
 * ```
 */
export type OverflowStrategy = (typeof OverflowStrategies)[keyof typeof OverflowStrategies];

/**
 * How `toAsyncIterable` buffers. An observable pushes and cannot be paused, so values that arrive
 * while the loop body runs wait in a buffer; these options bound it.
 *
 * @example
 * ```ts
 * import { toAsyncIterable, type AsyncIterableOptions } from 'camb-rx/node';
 * const latestOnly: AsyncIterableOptions = { bufferSize: 1, overflow: 'drop-oldest' };
 * for await (const s of toAsyncIterable(status$, latestOnly)) await slowWork(s);
 * ```
 */
export interface AsyncIterableOptions {
  /**
   * The most values kept for a loop that has not asked for them yet: a whole number ≥ 1, or
   * `Infinity` (the buffer grows as long as the loop is slower than the source).
   * @default Infinity
   */
  bufferSize?: number | undefined;
  /**
   * What happens to a value that arrives when `bufferSize` values already wait.
   * @default 'error'
   */
  overflow?: OverflowStrategy | undefined;
}

/** Every name of {@link AsyncIterableOptions}, for the check of unknown options. */
export const asyncIterableOptionKeys = optionKeys<AsyncIterableOptions>({ bufferSize: true, overflow: true });

/** A `next()` call waiting for a value. */
interface Waiter<T> {
  resolve(result: IteratorResult<T, undefined>): void;
  reject(error: unknown): void;
}

const finished: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });
const overflowStrategies: ReadonlySet<unknown> = new Set(Object.values(OverflowStrategies));

/**
 * Gives `for await` over any RxJS observable. Each loop subscribes anew when it asks for its first
 * value (the observable stays cold until then), gets every value in order, ends when the
 * observable completes, and throws the observable's error. Leaving the loop early (`break`,
 * `return`, a throw in its body) unsubscribes, which for camb-rx streams aborts the request in
 * flight and clears every timer.
 *
 * Values that arrive while the loop body runs are buffered: see {@link AsyncIterableOptions}.
 * A status stream is slow (one value per poll), so the default unbounded buffer is safe for it.
 *
 * @param source - any observable
 * @param options - the buffer's bound and what to do when it is full
 * @returns an async iterable of the observable's values
 * @throws TypeError at call time for a bad option
 * @example
 * ```ts
 * import { transcriptionStatus$ } from 'camb-rx';
 * import { toAsyncIterable } from 'camb-rx/node';
 * for await (const s of toAsyncIterable(transcriptionStatus$(taskId, { apiKey }))) {
 *   console.log(s.status);
 *   if (s.elapsedMs > 60_000) break; // unsubscribes: the poll in flight is aborted
 * }
 * ```
 */
export function toAsyncIterable<T>(source: Observable<T>, options: AsyncIterableOptions = {}): AsyncIterable<T> {
  if (typeof (source as { subscribe?: unknown } | null)?.subscribe !== 'function') throw optionError('source', 'an Observable', source);
  assertKnownKeys(options, asyncIterableOptionKeys);
  const { bufferSize, overflow } = withDefaults({ bufferSize: Infinity, overflow: OverflowStrategies.error as OverflowStrategy }, options);
  if (!(bufferSize === Infinity || (Number.isInteger(bufferSize) && bufferSize >= 1))) {
    throw optionError('bufferSize', 'a whole number from 1, or Infinity', bufferSize);
  }
  if (!overflowStrategies.has(overflow)) throw optionError('overflow', `one of ${[...overflowStrategies].join(', ')}`, overflow);
  return { [Symbol.asyncIterator]: () => new SubscriptionIterator(source, bufferSize, overflow) };
}

/** One `for await` loop over one subscription. */
class SubscriptionIterator<T> implements AsyncIterableIterator<T, undefined> {
  private readonly buffer: T[] = [];
  private readonly waiters: Waiter<T>[] = [];
  private subscriber: Subscriber<T> | undefined;
  private started = false;
  /** True once the source can send nothing more. */
  private done = false;
  /** The source's error, until it has been handed out (once). */
  private error: { reason: unknown } | undefined;

  constructor(
    readonly source: Observable<T>,
    readonly bufferSize: number,
    readonly overflow: OverflowStrategy,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (!this.started) this.subscribe();
    if (this.buffer.length > 0) return Promise.resolve({ done: false, value: this.buffer.shift() as T });
    const error = this.error;
    this.error = undefined;
    if (error) return Promise.reject(error.reason);
    if (this.done) return Promise.resolve(finished);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Called by `for await` when the loop is left early: unsubscribes and drops the buffer. */
  return(): Promise<IteratorResult<T, undefined>> {
    this.started = true;
    this.buffer.length = 0;
    this.subscriber?.unsubscribe();
    this.finish(undefined);
    this.error = undefined;
    return Promise.resolve(finished);
  }

  private subscribe(): void {
    this.started = true;
    // Wrapped so that the subscriber is known before a synchronous source has finished emitting.
    new Observable<T>((subscriber) => {
      this.subscriber = subscriber;
      return this.source.subscribe(subscriber);
    }).subscribe({
      next: (value) => this.push(value),
      error: (reason: unknown) => this.finish({ reason }),
      complete: () => this.finish(undefined),
    });
  }

  private push(value: T): void {
    if (this.done) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter.resolve({ done: false, value });
    if (this.buffer.length < this.bufferSize) {
      this.buffer.push(value);
    } else if (this.overflow === OverflowStrategies.dropOldest) {
      this.buffer.shift();
      this.buffer.push(value);
    } else {
      this.subscriber?.unsubscribe();
      this.finish({ reason: new RangeError(`camb-rx: the loop fell more than ${this.bufferSize} value(s) behind its observable (bufferSize)`) });
    }
  }

  private finish(error: { reason: unknown } | undefined): void {
    if (this.done) return;
    this.done = true;
    this.error = error;
    // Waiters exist only while the buffer is empty: the first gets the error, if any, the rest the end.
    for (const waiter of this.waiters.splice(0)) this.next().then(waiter.resolve, waiter.reject);
  }
}
