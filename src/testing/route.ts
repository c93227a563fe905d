import { isTaskKind, type TaskKind } from '../wire/task-kind.js';

/** The path prefix of every CAMB endpoint, as in `https://client.camb.ai/apis`. */
export const apiPrefix = '/apis';

/**
 * A request's route, with what its path says.
 *
 * @internal
 */
export type ParsedRoute =
  | { readonly route: 'preflight' }
  | { readonly route: 'status'; readonly kind: TaskKind; readonly taskId: string }
  | { readonly route: 'create' }
  | { readonly route: 'result'; readonly runIdText: string; readonly runId: number | undefined }
  | { readonly route: 'results' }
  | { readonly route: 'method-not-allowed'; readonly allow: string }
  | { readonly route: 'not-found' };

/**
 * Works out which endpoint a request is for.
 *
 * @internal
 * @param method - the HTTP method
 * @param pathname - the raw path without the query
 * @returns the route
 */
export function parseRoute(method: string, pathname: string): ParsedRoute {
  if (method === 'OPTIONS') return { route: 'preflight' };
  const segments = decodeSegments(pathname);
  if (!segments || segments[0] !== apiPrefix.slice(1)) return { route: 'not-found' };
  const [, first, second, ...rest] = segments;
  if (first === undefined || rest.length > 0) return { route: 'not-found' };
  if (second === undefined) {
    if (first === 'transcribe') return method === 'POST' ? { route: 'create' } : notAllowed('POST');
    if (first === 'transcription-results') return method === 'POST' ? { route: 'results' } : notAllowed('POST');
    return { route: 'not-found' };
  }
  if (second === '') return { route: 'not-found' };
  if (first === 'transcription-result') {
    if (method !== 'GET') return notAllowed('GET');
    return { route: 'result', runIdText: second, runId: parseRunId(second) };
  }
  if (!isTaskKind(first)) return { route: 'not-found' };
  return method === 'GET' ? { route: 'status', kind: first, taskId: second } : notAllowed('GET');
}

/**
 * Reads a run id path or body value.
 *
 * @internal
 * @param text - the text
 * @returns the run id, or undefined when it is not a non-negative safe integer
 */
function parseRunId(text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

function notAllowed(allow: string): ParsedRoute {
  return { route: 'method-not-allowed', allow: `${allow}, OPTIONS` };
}

function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').slice(1).map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}
