import { defer, fromEvent, switchMap, take, type Observable } from 'rxjs';

/** The global `online`/`offline` events' target, where there is one (a window or a worker). */
const globalEvents = () => (typeof (globalThis as Partial<EventTarget>).addEventListener === 'function' ? (globalThis as unknown as EventTarget) : undefined);

/**
 * Sends a request only while the browser says it is online: while `navigator.onLine` is false it
 * waits for the `online` event instead of sending a request that can only fail (and spend a retry).
 * Where there is no `navigator.onLine` (Node), it sends at once.
 *
 * @internal
 */
export function whenOnline<T>(request$: Observable<T>): Observable<T> {
  return defer(() => {
    const events = globalEvents();
    const offline = typeof navigator !== 'undefined' && (navigator as Partial<Navigator>).onLine === false;
    return offline && events ? fromEvent(events, 'online').pipe(take(1), switchMap(() => request$)) : request$;
  });
}
