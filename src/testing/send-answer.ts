import type { Answer } from './answer.js';
import type { Exchange } from './exchange.js';
import type { DripFault } from './fault.js';

/** The JSON content type of every normal answer. */
export const jsonContentType = 'application/json';

/** Default bytes per chunk of a `drip` fault. */
const defaultBytesPerChunk = 8;
/** Default pause between chunks of a `drip` fault, ms. */
const defaultChunkIntervalMs = 50;

/**
 * Serialises an answer's body.
 *
 * @internal
 * @param answer - the answer
 * @returns its JSON bytes
 */
export function answerBytes(answer: Answer): Buffer {
  return Buffer.from(JSON.stringify(answer.body), 'utf8');
}

/**
 * Sends a normal answer at once.
 *
 * @internal
 * @param exchange - the request
 * @param answer - the answer
 */
export function sendAnswer(exchange: Exchange, answer: Answer): void {
  exchange.send(answer.status, jsonContentType, answerBytes(answer), answer.headers);
}

/**
 * Sends a normal answer a few bytes at a time (its `Content-Length` up front); stops when the
 * client goes away or the simulator closes.
 *
 * @internal
 * @param exchange - the request
 * @param answer - the answer
 * @param fault - the drip settings
 */
export async function sendDripped(exchange: Exchange, answer: Answer, fault: DripFault): Promise<void> {
  const bytes = answerBytes(answer);
  const step = fault.bytesPerChunk ?? defaultBytesPerChunk;
  const intervalMs = fault.chunkIntervalMs ?? defaultChunkIntervalMs;
  exchange.writeHead(answer.status, { 'content-type': jsonContentType, 'content-length': bytes.length, ...answer.headers });
  exchange.res.flushHeaders();
  for (let offset = 0; offset < bytes.length; offset += step) {
    if (offset > 0 && !(await exchange.pause(intervalMs))) return;
    exchange.res.write(bytes.subarray(offset, offset + step));
  }
  exchange.res.end();
}
