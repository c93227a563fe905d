import type { IncomingMessage } from 'node:http';

/** The largest request body the simulator reads: 32 MiB. Larger bodies are answered 413. */
const maxRequestBodyBytes = 32 * 1024 * 1024;

/**
 * Thrown when a request body exceeds {@link maxRequestBodyBytes}.
 *
 * @internal
 */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/**
 * Reads a whole request body.
 *
 * @internal
 * @param req - the request
 * @param maxBytes - the cap
 * @returns the bytes
 * @throws BodyTooLargeError past the cap; the stream's error when the client goes away
 */
export async function readBody(req: IncomingMessage, maxBytes = maxRequestBodyBytes): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > maxBytes) throw new BodyTooLargeError(`request body over ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
