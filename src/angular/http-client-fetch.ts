import type { HttpClient, HttpErrorResponse, HttpResponse } from '@angular/common/http';
import type { FetchInit, FetchLike, FetchResponse } from '../http/fetch-like.js';

/** A finished HttpClient exchange as the `FetchResponse` camb-rx reads. */
function toFetchResponse(response: HttpResponse<string> | HttpErrorResponse): FetchResponse {
  const text = 'body' in response ? response.body : typeof response.error === 'string' ? response.error : JSON.stringify(response.error ?? '');
  return {
    status: response.status,
    statusText: response.statusText,
    headers: { get: (name) => response.headers.get(name) },
    text: async () => text ?? '',
  };
}

/**
 * Sends camb-rx's requests through Angular's `HttpClient`, so your interceptors (auth, logging,
 * retries of your own), `HttpTestingController` and SSR transfer cache apply. Aborting the request
 * unsubscribes from HttpClient, which cancels it.
 *
 * @param http - the app's `HttpClient`, from `inject(HttpClient)`
 * @returns a {@link FetchLike} for the `fetch` option
 * @example
 * ```ts
 * import { createCambClient } from 'camb-rx';
 * import { fetchViaHttpClient } from 'camb-rx/angular';
 * const camb = createCambClient({ apiKey, fetch: fetchViaHttpClient(inject(HttpClient)) });
 * ```
 */
export function fetchViaHttpClient(http: HttpClient): FetchLike {
  return (url: string, init: FetchInit) =>
    new Promise<FetchResponse>((resolve, reject) => {
      if (init.signal.aborted) return reject(init.signal.reason);
      const subscription = http
        .request(init.method, url, { body: init.body ?? null, headers: init.headers, observe: 'response', responseType: 'text' })
        .subscribe({
          next: (response) => resolve(toFetchResponse(response)),
          error: (error: HttpErrorResponse) =>
            // status 0: no response at all (network failure, CORS), which fetch reports by rejecting
            error.status === 0 ? reject(new TypeError(`Failed to fetch: ${error.message}`, { cause: error })) : resolve(toFetchResponse(error)),
        });
      init.signal.addEventListener(
        'abort',
        () => {
          subscription.unsubscribe();
          reject(init.signal.reason);
        },
        { once: true },
      );
    });
}
