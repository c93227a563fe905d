import type { FetchResponse } from './fetch-like.js';

/** Thrown by {@link readBody} when a body passes its cap. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`body exceeds ${limitBytes} bytes`);
  }
}

/**
 * Reads a response body as UTF-8 text, stopping (and cancelling the stream) past `limitBytes`.
 *
 * @throws BodyTooLargeError past the cap; the runtime's error if the stream breaks
 */
export async function readBody(response: FetchResponse, limitBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) {
    const text = await response.text();
    if (new TextEncoder().encode(text).byteLength > limitBytes) throw new BodyTooLargeError(limitBytes);
    return text;
  }
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    received += value.byteLength;
    if (received > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limitBytes);
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** The start of a body for error messages: at most `maxChars` characters, whitespace collapsed. */
export function excerpt(text: string, maxChars = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maxChars ? `${flat.slice(0, maxChars)}…` : flat;
}
