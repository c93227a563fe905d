import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Ends the stream with `signal.reason` when `signal` aborts, like `fetch` does, tearing the source
 * down. An already-aborted signal fails at once without subscribing to the source, so nothing is
 * sent. The listener is removed in teardown.
 *
 * @internal
 */
export function endOnAbort<T>(signal: AbortSignal | undefined): MonoTypeOperatorFunction<T> {
  if (!signal) return (source) => source;
  return (source) =>
    new Observable<T>((subscriber) => {
      if (signal.aborted) {
        subscriber.error(signal.reason);
        return;
      }
      const onAbort = () => subscriber.error(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      subscriber.add(() => signal.removeEventListener('abort', onAbort));
      source.subscribe(subscriber);
    });
}
