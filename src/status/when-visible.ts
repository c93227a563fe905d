import { defer, filter, fromEvent, switchMap, take, type Observable } from 'rxjs';

/**
 * Whether this is a page whose tab is hidden now (never outside a browser).
 *
 * @internal
 */
export const pageHidden = (): boolean => typeof document !== 'undefined' && document.visibilityState === 'hidden';

/**
 * Holds a read while the page is hidden (`document.visibilityState === 'hidden'`) and makes it at
 * once when the page is shown again; reads at once when the page is visible or there is no page.
 * The `visibilitychange` listener lives only while a read is held.
 *
 * @internal
 */
export function whenVisible<T>(read$: Observable<T>): Observable<T> {
  return defer(() =>
    pageHidden()
      ? fromEvent(document, 'visibilitychange').pipe(
          filter(() => !pageHidden()),
          take(1),
          switchMap(() => read$),
        )
      : read$,
  );
}
