import { defer, fromEvent, switchMap, take, type Observable } from 'rxjs';

/**
 * The global `online`/`offline` events' target, where there is one (a window or a worker).
 *
 * @internal
 */
export const globalEvents = (): EventTarget | undefined =>
  typeof (globalThis as Partial<EventTarget>).addEventListener === 'function' ? (globalThis as unknown as EventTarget) : undefined;

/**
 * Whether the browser says it is offline (`navigator.onLine` false) and will say when it is back.
 *
 * @internal
 */
export const offline = (): boolean => typeof navigator !== 'undefined' && (navigator as Partial<Navigator>).onLine === false && globalEvents() !== undefined;

/**
 * Sends a request only while the browser says it is online: while `navigator.onLine` is false it
 * waits for the `online` event instead of sending a request that can only fail (and spend a retry).
 * Where there is no `navigator.onLine` (Node), it sends at once.
 *
 * @internal
 */
export function whenOnline<T>(request$: Observable<T>): Observable<T> {
  return defer(() => {
    return offline() ? fromEvent(globalEvents() as EventTarget, 'online').pipe(take(1), switchMap(() => request$)) : request$;
  });
}
