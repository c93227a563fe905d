import type { HttpClient, HttpErrorResponse, HttpResponse } from '@angular/common/http';
import type { Subscription } from 'rxjs';
import type { FetchInit, FetchLike, FetchResponse } from '../http/fetch-like.js';

/** An `HttpErrorResponse`, recognised by its name and status (this file imports Angular's types only). */
function isHttpErrorResponse(error: unknown): error is HttpErrorResponse {
  const candidate = error as Partial<HttpErrorResponse> | null;
  return typeof candidate === 'object' && candidate !== null && candidate.name === 'HttpErrorResponse' && typeof candidate.status === 'number';
}

/** An error body as text: `responseType: 'text'` gives a string; anything an interceptor put there is serialised. */
function errorBodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === null || body === undefined) return '';
  try {
    return JSON.stringify(body) ?? '';
  } catch {
    return String(body);
  }
}

/** A finished HttpClient exchange as the `FetchResponse` camb-rx reads. */
function toFetchResponse(response: HttpResponse<string> | HttpErrorResponse, text: string): FetchResponse {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: { get: (name) => response.headers.get(name) },
    text: () => Promise.resolve(text),
  };
}

/**
 * What `fetch` would have done with HttpClient's error: an HTTP status becomes a response (camb-rx
 * turns it into `CambHttpError`, with the body excerpt and `Retry-After`); status 0 (no response:
 * network failure, CORS refusal) rejects with a `TypeError`, as fetch does; anything else (an
 * interceptor's own error) rejects as it is.
 */
function settleError(error: unknown, resolve: (response: FetchResponse) => void, reject: (reason: unknown) => void): void {
  if (!isHttpErrorResponse(error)) return reject(error);
  if (error.status !== 0) return resolve(toFetchResponse(error, errorBodyText(error.error)));
  const cause: unknown = error.error instanceof Error ? error.error : error;
  reject(new TypeError(`Failed to fetch (${error.message})`, { cause }));
}

/**
 * Sends camb-rx's requests through Angular's `HttpClient`, so your interceptors (auth, logging,
 * tracing) and `HttpTestingController` apply. Responses are read as text and never taken from
 * the SSR transfer cache (a cached status would be stale).
 *
 * Cancellation: when camb-rx aborts a request (unsubscribe, `signal`, request timeout) the adapter
 * unsubscribes from HttpClient, which cancels the request; its abort listener is removed as soon
 * as the request settles. HttpClient buffers a body before handing it over, so `maxBodyBytes` is
 * checked after the download rather than during it.
 *
 * @param http - the app's `HttpClient`, from `inject(HttpClient)`
 * @returns a {@link FetchLike} for the `fetch` option
 * @example
 * ```ts
 * import { HttpClient } from '@angular/common/http';
 * import { inject } from '@angular/core';
 * import { createCambClient } from 'camb-rx';
 * import { fetchViaHttpClient } from 'camb-rx/angular';
 *
 * const camb = createCambClient({ apiKey, fetch: fetchViaHttpClient(inject(HttpClient)) });
 * ```
 */
export function fetchViaHttpClient(http: HttpClient): FetchLike {
  return (url: string, { method, headers, body, signal }: FetchInit) =>
    new Promise<FetchResponse>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      let subscription: Subscription | undefined;
      const onAbort = (): void => {
        subscription?.unsubscribe();
        reject(signal.reason);
      };
      const settled = (): void => signal.removeEventListener('abort', onAbort);
      signal.addEventListener('abort', onAbort, { once: true });
      subscription = http
        .request(method, url, { body: body ?? null, headers, observe: 'response', responseType: 'text', transferCache: false })
        .subscribe({
          next: (response) => {
            settled();
            resolve(toFetchResponse(response, response.body ?? ''));
          },
          error: (error: unknown) => {
            settled();
            settleError(error, resolve, reject);
          },
          complete: () => {
            // After `next` this does nothing; without one (an interceptor answered EMPTY) it fails the request.
            settled();
            reject(new TypeError(`Failed to fetch (HttpClient completed without a response for ${method} ${url})`));
          },
        });
      if (signal.aborted) subscription.unsubscribe(); // aborted while subscribing: onAbort had nothing to cancel yet
    });
}
