import { STATUS_CODES } from 'node:http';
import type { Answer } from './answer.js';
import type { Exchange } from './exchange.js';
import type { Fault, HttpFault, OversizeFault } from './fault.js';
import { answerBytes, jsonContentType } from './send-answer.js';

/** The broken JSON of a `malformed-json` fault: a status body cut off mid-way. */
const malformedJsonBody = '{"status": "PENDING", "run_id": nu';

/** Size of the chunks an `oversize` body is written in. */
const oversizeChunkBytes = 64 * 1024;

/**
 * Answers a request with a fault that replaces the normal answer (every fault but `delay` and
 * `drip`, which deliver it).
 *
 * @internal
 * @param exchange - the request
 * @param fault - the fault
 * @param peek - works out the would-be normal answer without its side effects
 */
export async function sendFault(exchange: Exchange, fault: Fault, peek: () => Promise<Answer>): Promise<void> {
  switch (fault.type) {
    case 'http':
      return sendHttpFault(exchange, fault);
    case 'reset-before-headers':
      return exchange.destroy();
    case 'reset-mid-body': {
      const bytes = answerBytes(await peek());
      if (exchange.signal.aborted) return;
      exchange.writeHead(200, { 'content-type': jsonContentType, 'content-length': bytes.length });
      exchange.res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () => exchange.destroy());
      return;
    }
    case 'hang':
      exchange.req.resume(); // read (and drop) the body, so a client that gives up is seen going
      return;
    case 'malformed-json':
      return exchange.send(200, jsonContentType, malformedJsonBody);
    case 'html-error':
      return sendHtmlError(exchange, fault.status ?? 502);
    case 'oversize':
      return sendOversize(exchange, fault);
    case 'wrong-content-type': {
      const bytes = answerBytes(await peek());
      if (!exchange.signal.aborted) exchange.send(200, 'text/plain; charset=utf-8', bytes);
      return;
    }
    case 'body':
      return exchange.send(fault.status ?? 200, fault.contentType ?? jsonContentType, fault.body);
    case 'delay':
    case 'drip':
      throw new TypeError(`a ${fault.type} fault delivers the normal answer and is not sent here`);
  }
}

function sendHttpFault(exchange: Exchange, fault: HttpFault): void {
  const body = fault.body === undefined ? { detail: STATUS_CODES[fault.status] ?? 'Error' } : fault.body;
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) {
    headers['retry-after'] =
      fault.retryAfter instanceof Date ? fault.retryAfter.toUTCString() : String(Math.ceil(fault.retryAfter));
  }
  exchange.send(fault.status, jsonContentType, JSON.stringify(body) ?? 'null', { ...headers, ...lowerCaseKeys(fault.headers) });
}

function sendHtmlError(exchange: Exchange, status: number): void {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const html =
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n` +
    `<body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>\n`;
  exchange.send(status, 'text/html; charset=utf-8', html);
}

async function sendOversize(exchange: Exchange, fault: OversizeFault): Promise<void> {
  exchange.writeHead(200, { 'content-type': jsonContentType });
  const head = '{"status":"PENDING","padding":"';
  const tail = '"}';
  const framed = fault.bytes >= head.length + tail.length;
  let remaining = fault.bytes;
  if (framed) {
    exchange.res.write(head);
    remaining -= head.length + tail.length;
  }
  const filler = Buffer.alloc(Math.min(oversizeChunkBytes, remaining), framed ? 'x' : ' ');
  while (remaining > 0) {
    if (exchange.signal.aborted) return;
    const chunk = remaining >= filler.length ? filler : filler.subarray(0, remaining);
    remaining -= chunk.length;
    if (!exchange.res.write(chunk) && !(await exchange.drain())) return;
  }
  exchange.res.end(framed ? tail : undefined);
}

function lowerCaseKeys(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}
