import type { ServerResponse } from 'node:http';

/** The CORS headers sent on every answer, so browser tests can call the simulator. */
const corsHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'x-api-key, content-type',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'Retry-After',
  'access-control-max-age': '600',
};

/**
 * Sets the CORS headers on a response before anything is written.
 *
 * @internal
 * @param res - the response
 */
export function setCorsHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(corsHeaders)) res.setHeader(name, value);
}
