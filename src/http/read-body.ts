import type { SchedulerLike, Subscription } from 'rxjs';
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

/** A body as chunks pulled one at a time, and a way to stop it early (cancelling the stream). */
interface ChunkSource {
  next(): Promise<IteratorResult<Uint8Array, unknown>>;
  stop(): void;
}

/** The body of a response as a {@link ChunkSource}, whichever form the fetch gave it in; only `text()` when there is no stream. */
function chunksOf(response: FetchResponse): ChunkSource {
  const body = response.body as unknown;
  if (typeof (body as ReadableStream | undefined)?.getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    return { next: () => reader.read() as Promise<IteratorResult<Uint8Array>>, stop: () => void reader.cancel().catch(() => undefined) };
  }
  if (body && typeof (body as BodyChunks)[Symbol.asyncIterator] === 'function') {
    const chunks = (body as BodyChunks)[Symbol.asyncIterator]();
    return { next: () => chunks.next(), stop: () => (body as BodyChunks).destroy?.() };
  }
  let whole: Promise<IteratorResult<Uint8Array>> | undefined;
  return {
    next: () => (whole ? Promise.resolve({ done: true, value: undefined }) : (whole = response.text().then((text) => ({ done: false, value: new TextEncoder().encode(text) })))),
    stop: () => undefined,
  };
}

/**
 * Reads a response body as UTF-8 text, stopping (and cancelling the stream) past `limitBytes`.
 * With a `Content-Length` within the cap the body is read whole with `text()`, without a stream
 * reader (fetch enforces the length on the wire; the text is still held to the cap); one above the
 * cap fails before anything is read.
 *
 * @throws BodyTooLargeError past the cap; the runtime's error if the stream breaks
 */
export async function readBody(response: FetchResponse, limitBytes: number): Promise<string> {
  const declared = +(response.headers.get('content-length') ?? NaN);
  if (declared <= limitBytes) {
    const text = await response.text();
    // UTF-8 takes 1–3 bytes per UTF-16 unit: only a text longer than a third of the cap is counted.
    if (text.length * 3 > limitBytes && new TextEncoder().encode(text).byteLength > limitBytes) throw new BodyTooLargeError(limitBytes);
    return text;
  }
  const source = chunksOf(response);
  if (declared > limitBytes) {
    source.stop();
    throw new BodyTooLargeError(limitBytes);
  }
  const text = new CappedText(limitBytes);
  for (;;) {
    const chunk = await source.next();
    if (chunk.done) return text.end();
    if (!text.add(chunk.value)) {
      source.stop();
      throw new BodyTooLargeError(limitBytes);
    }
  }
}

/** The start of a body: what was read, and whether the body went on (or broke off) after it. */
export interface BodyStart {
  readonly text: string;
  /** True when reading stopped at the byte or time bound, or the stream broke, before its end. */
  readonly cut: boolean;
}

/**
 * Reads the start of a body for an error message, never waiting long: at most `maxBytes`, and
 * what arrived within `maxMs` (timed on `scheduler`). Then the stream is cancelled, so a body that
 * never ends does not hold its socket. Never rejects: a broken stream gives what was read.
 *
 * @returns the text read, and whether the body went on after it
 */
export async function readBodyStart(response: FetchResponse, maxBytes: number, maxMs: number, scheduler: SchedulerLike): Promise<BodyStart> {
  let wait: Subscription | undefined;
  const expired = new Promise<undefined>((resolve) => (wait = scheduler.schedule(() => resolve(undefined), maxMs)));
  const source = chunksOf(response);
  const text = new CappedText(maxBytes);
  try {
    for (;;) {
      const chunk = await Promise.race([source.next(), expired]);
      if (chunk?.done) return { text: text.end(), cut: false };
      if (!chunk || !text.add(chunk.value)) return { text: text.end(), cut: true };
    }
  } catch {
    return { text: text.end(), cut: true };
  } finally {
    wait?.unsubscribe();
    source.stop();
  }
}

/** Decodes UTF-8 chunks while counting their bytes against a cap. */
class CappedText {
  private readonly decoder = new TextDecoder();
  private received = 0;
  private text = '';
  constructor(private readonly limitBytes: number) {}

  /** Adds a chunk, or the part of it that fits: false when the cap is passed. */
  add(chunk: Uint8Array): boolean {
    const room = Math.max(this.limitBytes - this.received, 0);
    this.received += chunk.byteLength;
    this.text += this.decoder.decode(chunk.byteLength > room ? chunk.subarray(0, room) : chunk, { stream: true });
    return this.received <= this.limitBytes;
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
