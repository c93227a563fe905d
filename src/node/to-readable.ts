import { Readable } from 'node:stream';
import type { Observable } from 'rxjs';
import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { asyncIterableOptionKeys, toAsyncIterable, type AsyncIterableOptions } from './to-async-iterable.js';

/**
 * Options of `toReadable`: the Readable's own buffer, and the buffer behind it (see
 * {@link AsyncIterableOptions}).
 *
 * @example
 * ```ts
 * import { toReadable, type ReadableOptions } from 'camb-rx/node';
 * const options: ReadableOptions = { highWaterMark: 8, bufferSize: 1000 };
 * ```
 */
export interface ReadableOptions extends AsyncIterableOptions {
  /**
   * How many values the Readable holds before it stops taking more from the subscription.
   * @default 16
   */
  highWaterMark?: number | undefined;
}

const readableOwnKeys = optionKeys<Omit<ReadableOptions, keyof AsyncIterableOptions>>({ highWaterMark: true });

/**
 * Turns an observable into an object-mode `Readable`, for `pipeline()` and Node streams.
 * The Readable subscribes when it is first read, ends when the observable completes, and is
 * destroyed with the observable's error. Destroying it unsubscribes (for camb-rx streams: the
 * request in flight is aborted).
 *
 * Backpressure, honestly: the Readable takes values only while its consumer keeps up (it stops at
 * `highWaterMark`), but an observable pushes and cannot be paused, so values that arrive
 * meanwhile wait in the subscription's buffer, which grows without bound unless `bufferSize`
 * bounds it (then `overflow` decides: fail the stream, or drop the oldest value). A status stream
 * sends one value per poll, so a slow consumer only delays it.
 * `null` cannot be carried (it ends a Readable): an observable that emits `null` destroys it.
 *
 * @param source - any observable
 * @param options - `highWaterMark`, and the subscription buffer's `bufferSize` and `overflow`
 * @returns an object-mode Readable of the observable's values
 * @throws TypeError at call time for a bad option
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * import { mergeTasks } from 'camb-rx';
 * import { toReadable } from 'camb-rx/node';
 * import { from, map } from 'rxjs';
 * const lines$ = from(taskIds).pipe(mergeTasks({ apiKey }), map((s) => `${JSON.stringify(s)}\n`));
 * await pipeline(toReadable(lines$), process.stdout);
 * ```
 */
export function toReadable<T>(source: Observable<T>, options: ReadableOptions = {}): Readable {
  assertKnownKeys(options, [...asyncIterableOptionKeys, ...readableOwnKeys]);
  const { highWaterMark = 16, ...bufferOptions } = options;
  return Readable.from(toAsyncIterable(source, bufferOptions), { objectMode: true, highWaterMark });
}
