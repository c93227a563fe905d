import type { Observable } from 'rxjs';

/**
 * What every request of a connection passes through before it is sent: the shared request budget
 * of a client or of a `mergeTasks` subscription. `run` returns the request, started when allowed.
 *
 * @internal
 */
export interface RequestGate {
  run<T>(request$: Observable<T>): Observable<T>;
}
