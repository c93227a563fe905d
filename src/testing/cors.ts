import type { IncomingMessage, ServerResponse } from 'node:http';

/** The CORS headers sent on every answer, so browser tests can call the simulator. */
const corsHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'x-api-key, content-type',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'Retry-After',
  'access-control-max-age': '600',
};

/**
 * Sets the CORS headers on a response before anything is written. A preflight that asks for more
 * headers (an app's interceptor adding `authorization`, say) gets them allowed too.
 *
 * @internal
 * @param req - the request
 * @param res - the response
 */
export function setCorsHeaders(req: IncomingMessage, res: ServerResponse): void {
  for (const [name, value] of Object.entries(corsHeaders)) res.setHeader(name, value);
  const allowed = new Set(corsHeaders['access-control-allow-headers']?.split(', '));
  for (const name of req.headers['access-control-request-headers']?.split(',') ?? []) allowed.add(name.trim().toLowerCase());
  res.setHeader('access-control-allow-headers', [...allowed].filter(Boolean).join(', '));
}
