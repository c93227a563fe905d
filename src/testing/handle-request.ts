import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorAnswer, type AnswerProducer } from './answer.js';
import { setCorsHeaders } from './cors.js';
import { prepareCreateTranscription } from './create-transcription-route.js';
import { Exchange } from './exchange.js';
import { deliversNormalAnswer } from './fault.js';
import type { FaultSources } from './fault-sources.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import type { MutableLogEntry } from './request-log-entry.js';
import type { RequestLog } from './request-log.js';
import type { RequestStats } from './request-stats.js';
import { resultAnswer, resultsAnswer } from './result-routes.js';
import { parseRoute, type ParsedRoute } from './route.js';
import { jsonContentType, sendAnswer, sendDripped } from './send-answer.js';
import { sendFault } from './send-fault.js';
import type { TaskRegistry } from './task-registry.js';
import type { TaskState } from './task-state.js';
import type { TaskDefinition } from './validate-task.js';

/** Everything of the simulator a request needs. */
export interface HandlerParts {
  readonly apiKey: string;
  readonly latencyMs: number;
  readonly createdTask: TaskDefinition;
  readonly registry: TaskRegistry;
  readonly log: RequestLog;
  readonly stats: RequestStats;
  readonly faults: FaultSources;
  /** The requests in progress, so that closing can stop them. */
  readonly exchanges: Set<Exchange>;
}

/**
 * Creates the `request` listener of the simulator's HTTP server.
 *
 * Every request is logged; preflights are answered 204 without a key; other requests need the
 * key (else 401), then get a fault (task, injected, random) or the normal answer.
 *
 * @internal
 * @param parts - the simulator's state
 * @returns the listener
 */
export function createRequestHandler(parts: HandlerParts): (req: IncomingMessage, res: ServerResponse) => void {
  const redact = (text: string): string => text.split(parts.apiKey).join('[redacted]');
  let seq = 0;
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = parseRoute(req.method ?? 'GET', url.pathname);
    const startedAt = performance.now();
    const entry: MutableLogEntry = {
      seq: (seq += 1),
      method: req.method ?? 'GET',
      path: redact(url.pathname),
      query: Object.fromEntries([...url.searchParams].map(([name, value]) => [redact(name), redact(value)])),
      headers: loggedHeaders(req.headers, redact),
      route: route.route,
      ...routeFields(route),
      hasValidKey: req.headers['x-api-key'] === parts.apiKey,
      startedAt,
      closedByClient: false,
    };
    const counted = route.route !== 'preflight';
    if (counted) parts.stats.arrived(startedAt);
    const exchange = new Exchange(req, res, entry, (changed) => parts.log.changed(changed), (ended) => {
      parts.exchanges.delete(ended);
      if (counted) parts.stats.ended();
    });
    parts.exchanges.add(exchange);
    parts.log.add(entry);
    setCorsHeaders(req, res);
    respond(parts, exchange, route, url, redact).catch((error: unknown) => fail(exchange, error));
  };
}

async function respond(
  parts: HandlerParts,
  exchange: Exchange,
  route: ParsedRoute,
  url: URL,
  redact: (text: string) => string,
): Promise<void> {
  const { entry } = exchange;
  if (route.route === 'preflight') {
    exchange.writeHead(204, { 'content-length': 0 });
    exchange.res.end();
    return;
  }
  if (!entry.hasValidKey) return sendAnswer(exchange, errorAnswer(401, 'Invalid API key'));
  const task = route.route === 'status' ? parts.registry.get(route.taskId) : undefined;
  const ownTask = route.route === 'status' && task?.kind === route.kind ? task : undefined;
  const fault = ownTask?.nextRequest() ?? parts.faults.take(url.pathname);
  if (fault) {
    entry.fault = fault;
    parts.log.changed(entry);
  }
  const prepare = (): Promise<AnswerProducer> => prepareAnswer(parts, exchange, route, url, ownTask, redact);
  if (fault && !deliversNormalAnswer(fault)) return sendFault(exchange, fault, async () => (await prepare())());
  const produce = await prepare();
  const waitMs = parts.latencyMs + (fault?.type === 'delay' ? fault.ms : 0);
  if (!(await exchange.pause(waitMs))) return;
  const answer = produce();
  answer.commit?.();
  if (fault?.type === 'drip') return sendDripped(exchange, answer, fault);
  sendAnswer(exchange, answer);
}

async function prepareAnswer(
  parts: HandlerParts,
  exchange: Exchange,
  route: ParsedRoute,
  url: URL,
  task: TaskState | undefined,
  redact: (text: string) => string,
): Promise<AnswerProducer> {
  switch (route.route) {
    case 'status':
      if (!task) return () => errorAnswer(404, `Task ${route.taskId} not found`);
      return () => {
        const read = task.read();
        return { status: 200, body: read.body, commit: read.commit };
      };
    case 'create': {
      const body = await readBodyOrTooLarge(exchange);
      if (!body) return () => errorAnswer(413, 'Request body too large', { connection: 'close' });
      return prepareCreateTranscription({
        req: exchange.req,
        body,
        registry: parts.registry,
        template: parts.createdTask,
        redact,
        logForm: (form) => {
          exchange.entry.form = form;
          parts.log.changed(exchange.entry);
        },
        logTaskId: (taskId) => {
          exchange.entry.taskId = taskId;
          parts.log.changed(exchange.entry);
        },
      });
    }
    case 'result':
      return () => resultAnswer(route.runId, url.searchParams, parts.registry);
    case 'results': {
      const body = await readBodyOrTooLarge(exchange);
      if (!body) return () => errorAnswer(413, 'Request body too large', { connection: 'close' });
      return () => resultsAnswer(body, url.searchParams, parts.registry);
    }
    case 'method-not-allowed':
      return () => errorAnswer(405, 'Method Not Allowed', { allow: route.allow });
    case 'not-found':
    case 'preflight':
      return () => errorAnswer(404, 'Not Found');
  }
}

async function readBodyOrTooLarge(exchange: Exchange): Promise<Buffer | undefined> {
  try {
    return await readBody(exchange.req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return undefined;
    throw error;
  }
}

/** The log fields a route fills in from the path. */
function routeFields(route: ParsedRoute): Pick<MutableLogEntry, 'kind' | 'taskId' | 'runId'> {
  if (route.route === 'status') return { kind: route.kind, taskId: route.taskId };
  if (route.route === 'result' && route.runId !== undefined) return { runId: route.runId };
  return {};
}

/** The request headers for the log: `x-api-key` left out, the key redacted anywhere else. */
function loggedHeaders(headers: IncomingHttpHeaders, redact: (text: string) => string): Record<string, string> {
  const logged: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'x-api-key' || value === undefined) continue;
    logged[name] = redact(Array.isArray(value) ? value.join(', ') : value);
  }
  return logged;
}

/** Ends a request whose handling threw (a bad `faults` function, a client gone mid-upload). */
function fail(exchange: Exchange, error: unknown): void {
  if (exchange.signal.aborted) return;
  if (exchange.res.headersSent) return exchange.destroy();
  const message = error instanceof Error ? error.message : String(error);
  exchange.send(500, jsonContentType, JSON.stringify({ detail: `CAMB simulator error: ${message}` }));
}
