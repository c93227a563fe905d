import type { SchedulerLike } from 'rxjs';
import { asyncScheduler } from 'rxjs';
import type { FetchLike } from '../http/fetch-like.js';
import { parseBaseUrl } from '../http/base-url.js';
import type { RequestGate } from '../http/request-gate.js';
import { optionKeys } from '../util/assert-known-keys.js';
import { assertFunction, assertInteger, assertMs, optionError, withDefaults } from '../util/assert-option.js';
import { createRedactor, type Redactor } from '../util/redactor.js';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from '../retry/retry-options.js';
import { isRetryableCambError } from '../retry/retryable-error.js';

/**
 * CAMB's production API root, the default `baseUrl`.
 *
 * @example
 * ```ts
 * import { DEFAULT_BASE_URL, transcriptionStatus$ } from 'camb-rx';
 * transcriptionStatus$(taskId, { apiKey, baseUrl: process.env.CAMB_BASE_URL ?? DEFAULT_BASE_URL });
 * ```
 */
export const DEFAULT_BASE_URL = 'https://client.camb.ai/apis';

/**
 * How to reach CAMB: the connection options every function takes. Only `apiKey` is required.
 *
 * @example
 * ```ts
 * import { transcriptionStatus$, type CambOptions } from 'camb-rx';
 * const camb: CambOptions = { apiKey: process.env.CAMB_API_KEY!, requestTimeoutMs: 10_000, retry: 2 };
 * transcriptionStatus$(taskId, camb).subscribe(console.log);
 * ```
 */
export interface CambOptions {
  /** Your CAMB API key, sent as `x-api-key`; never in any error, log line or `toJSON`. */
  apiKey: string;
  /**
   * The API root. `http://` is refused except to loopback, unless `allowInsecureHttp`.
   * @default 'https://client.camb.ai/apis'
   */
  baseUrl?: string | undefined;
  /**
   * The fetch to send requests with, e.g. to go through your own HTTP stack.
   * @default globalThis.fetch, or cross-fetch (if installed) where the runtime has none
   */
  fetch?: FetchLike | undefined;
  /**
   * How long one request may take before it is aborted as a `CambTransportError`.
   * @default 30_000
   */
  requestTimeoutMs?: number | undefined;
  /**
   * How failed requests are retried (a number is `maxRetries`); `false` turns retrying off.
   * @default RetryOptions defaults: 4 retries, 500 ms base, 20 s cap, Retry-After up to 60 s
   */
  retry?: RetryOptions | number | false | undefined;
  /**
   * Where every timer is scheduled; pass a `TestScheduler` for virtual time.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike | undefined;
  /**
   * Allow `http://` to hosts other than loopback.
   * @default false
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * The most bytes of a response body that are read; a larger body is a `CambSchemaError`.
   * @default 1_048_576
   */
  maxBodyBytes?: number | undefined;
}

/** {@link CambOptions} checked, with defaults filled in. */
export interface ResolvedCambOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly fetch: FetchLike | undefined;
  readonly requestTimeoutMs: number;
  readonly retry: ResolvedRetryOptions | false;
  readonly scheduler: SchedulerLike;
  readonly maxBodyBytes: number;
  /** The request budget that every request waits for, when streams share one. */
  readonly budget: RequestGate | undefined;
  /** Takes the key out of every body excerpt, status message and runtime error before an error or value holds it. */
  readonly redact: Redactor;
}

/** Every name of {@link CambOptions}, for the check of unknown options. */
export const cambOptionKeys = optionKeys<CambOptions>({
  apiKey: true,
  baseUrl: true,
  fetch: true,
  requestTimeoutMs: true,
  retry: true,
  scheduler: true,
  allowInsecureHttp: true,
  maxBodyBytes: true,
});

const connectionDefaults = {
  baseUrl: DEFAULT_BASE_URL,
  requestTimeoutMs: 30_000,
  scheduler: asyncScheduler as SchedulerLike,
  allowInsecureHttp: false,
  maxBodyBytes: 1_048_576,
};

/**
 * Where `apiKey` cannot be a header value, or undefined when it can: a header value is a
 * ByteString (nothing above U+00FF) without control characters, and fetch would strip surrounding
 * whitespace (a key sent other than given is a 401 later). Says where, never what the key is.
 */
function apiKeyProblem(apiKey: unknown): string | undefined {
  if (typeof apiKey !== 'string' || apiKey.trim() === '') return 'got none';
  const bad = /^\s|\s$|[^\t\x20-\x7e\x80-\xff]/.exec(apiKey);
  return bad ? `it has U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at index ${bad.index}` : undefined;
}

/**
 * Checks connection options and fills in defaults; throws `TypeError` on a bad value, whose
 * message never holds the key (even when another option, e.g. `baseUrl`, was given the key).
 * Called when a camb-rx function is called, never later inside a stream.
 */
export function resolveCambOptions(options: CambOptions): ResolvedCambOptions {
  if (typeof options !== 'object' || options === null) throw optionError('options', 'an object with at least `apiKey`', options);
  const { apiKey } = options;
  const problem = apiKeyProblem(apiKey);
  if (problem !== undefined) {
    throw new TypeError(`camb-rx: option \`apiKey\` must be a non-empty string that can be a header value (Latin-1, no control characters, no surrounding whitespace): ${problem}`);
  }
  const redact = createRedactor([apiKey]);
  try {
    return { ...resolveTheRest(options), apiKey, redact };
  } catch (error) {
    throw error instanceof TypeError ? new TypeError(redact.text(error.message)) : error;
  }
}

/** Every connection option but the key, checked. */
function resolveTheRest(options: CambOptions): Omit<ResolvedCambOptions, 'apiKey' | 'redact'> {
  const merged = withDefaults(connectionDefaults, options);
  const { scheduler } = merged;
  if (typeof scheduler?.now !== 'function' || typeof scheduler.schedule !== 'function') {
    throw optionError('scheduler', 'an RxJS SchedulerLike', scheduler);
  }
  return {
    baseUrl: parseBaseUrl(merged.baseUrl, merged.allowInsecureHttp === true),
    fetch: options.fetch === undefined ? undefined : assertFunction<FetchLike>('fetch', options.fetch),
    requestTimeoutMs: assertMs('requestTimeoutMs', merged.requestTimeoutMs, { min: 1, allowInfinity: true }),
    retry: options.retry === false ? false : resolveRetryOptions(options.retry, { scheduler, retryOn: isRetryableCambError }),
    scheduler,
    maxBodyBytes: assertInteger('maxBodyBytes', merged.maxBodyBytes, 1),
    budget: undefined,
  };
}
