import type { SchedulerLike } from 'rxjs';
import type { FetchResponse } from './fetch-like.js';

/** Thrown by {@link readBody} when a body passes its cap. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`body exceeds ${limitBytes} bytes`);
  }
}

/** The chunks of a body: a web `ReadableStream` (fetch, undici), or a Node stream (node-fetch 2, used by cross-fetch). */
type BodyChunks = AsyncIterable<Uint8Array> & { destroy?(): void };

/**
 * Reads a response body as UTF-8 text, stopping (and cancelling the stream) past `limitBytes`.
 *
 * @throws BodyTooLargeError past the cap; the runtime's error if the stream breaks
 */
export async function readBody(response: FetchResponse, limitBytes: number): Promise<string> {
  const body = response.body as unknown;
  if (typeof (body as ReadableStream | undefined)?.getReader === 'function') return readWebStream(body as ReadableStream<Uint8Array>, limitBytes);
  if (body && typeof (body as BodyChunks)[Symbol.asyncIterator] === 'function') return readChunks(body as BodyChunks, limitBytes);
  const text = await response.text();
  if (new TextEncoder().encode(text).byteLength > limitBytes) throw new BodyTooLargeError(limitBytes);
  return text;
}

async function readWebStream(stream: ReadableStream<Uint8Array>, limitBytes: number): Promise<string> {
  const reader = stream.getReader();
  const text = new CappedText(limitBytes);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text.end();
    if (!text.add(value)) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limitBytes);
    }
  }
}

async function readChunks(chunks: BodyChunks, limitBytes: number): Promise<string> {
  const text = new CappedText(limitBytes);
  for await (const chunk of chunks) {
    if (!text.add(chunk)) {
      chunks.destroy?.();
      throw new BodyTooLargeError(limitBytes);
    }
  }
  return text.end();
}

/** The start of a body: what was read, and whether the body went on (or broke off) after it. */
export interface BodyStart {
  readonly text: string;
  /** True when reading stopped at the byte or time bound, or the stream broke, before its end. */
  readonly cut: boolean;
}

/** Why {@link readBodyStart} stopped waiting. */
const EXPIRED = Symbol('expired');

/**
 * Reads the start of a body for an error message, never waiting long: at most `maxBytes`, and
 * what arrived within `maxMs` (timed on `scheduler`). Then the stream is cancelled, so a body that
 * never ends does not hold its socket. Never rejects: a broken stream gives what was read.
 *
 * @returns the text read, and whether the body went on after it
 */
export async function readBodyStart(response: FetchResponse, maxBytes: number, maxMs: number, scheduler: SchedulerLike): Promise<BodyStart> {
  let wait: { unsubscribe(): void } | undefined;
  const expired = new Promise<typeof EXPIRED>((resolve) => {
    wait = scheduler.schedule(() => resolve(EXPIRED), maxMs);
  });
  const text = new CappedText(Infinity);
  const body = response.body as unknown;
  let stop: () => unknown = () => undefined;
  let next: () => Promise<IteratorResult<Uint8Array> | ReadableStreamReadResult<Uint8Array>>;
  if (typeof (body as ReadableStream | undefined)?.getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    next = () => reader.read();
    stop = () => reader.cancel().catch(() => undefined);
  } else if (body && typeof (body as BodyChunks)[Symbol.asyncIterator] === 'function') {
    const chunks = (body as BodyChunks)[Symbol.asyncIterator]();
    next = () => chunks.next();
    stop = () => (body as BodyChunks).destroy?.();
  } else {
    const whole = response.text().then((value) => ({ done: false as const, value: new TextEncoder().encode(value) }));
    let read = false;
    next = () => (read ? Promise.resolve({ done: true as const, value: undefined }) : ((read = true), whole));
  }
  try {
    for (;;) {
      const chunk = await Promise.race([next(), expired]);
      if (chunk === EXPIRED) return { text: text.end(), cut: true };
      if (chunk.done) return { text: text.end(), cut: false };
      const room = maxBytes - text.bytes;
      text.add(chunk.value.byteLength > room ? chunk.value.subarray(0, room) : chunk.value);
      if (text.bytes >= maxBytes) return { text: text.end(), cut: true };
    }
  } catch {
    return { text: text.end(), cut: true };
  } finally {
    wait?.unsubscribe();
    void stop();
  }
}

/** Decodes UTF-8 chunks while counting their bytes against a cap. */
class CappedText {
  private readonly decoder = new TextDecoder();
  private received = 0;
  private text = '';
  constructor(private readonly limitBytes: number) {}

  /** The bytes added so far. */
  get bytes(): number {
    return this.received;
  }

  /** Adds a chunk; false when the cap is passed. */
  add(chunk: Uint8Array): boolean {
    this.received += chunk.byteLength;
    if (this.received > this.limitBytes) return false;
    this.text += this.decoder.decode(chunk, { stream: true });
    return true;
  }

  end(): string {
    return this.text + this.decoder.decode();
  }
}

/** The start of a body for error messages: at most `maxChars` characters, whitespace collapsed. */
export function excerpt(text: string, maxChars = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars)}…` : flat;
}
