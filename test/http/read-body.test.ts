import { describe, expect, it, vi } from 'vitest';
import { BodyTooLargeError, readBody } from '../../src/http/read-body.js';

const withLength = (text: string, length = Buffer.byteLength(text)) => new Response(text, { headers: { 'content-length': String(length) } });

describe('readBody', () => {
  it('reads a body with a Content-Length within the cap through text(), without a stream reader', async () => {
    const response = withLength('{"status":"PENDING","message":"é"}');
    const text = vi.spyOn(response, 'text');
    await expect(readBody(response, 1024)).resolves.toBe('{"status":"PENDING","message":"é"}');
    expect(text).toHaveBeenCalledTimes(1);
  });

  it('fails a Content-Length above the cap before reading, and cancels the body', async () => {
    const cancel = vi.fn();
    const body = new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(1024)), cancel });
    const response = new Response(body, { headers: { 'content-length': '2000' } });
    await expect(readBody(response, 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cancel).toHaveBeenCalledTimes(1);
  });

  it('still holds the cap when a custom fetch declares less than it sends', async () => {
    const lying = { status: 200, statusText: 'OK', headers: { get: (name: string) => (name === 'content-length' ? '10' : null) }, text: async () => 'é'.repeat(600) };
    await expect(readBody(lying, 1024)).rejects.toBeInstanceOf(BodyTooLargeError); // 600 characters, 1200 bytes
    await expect(readBody({ ...lying, text: async () => 'é'.repeat(500) }, 1024)).resolves.toHaveLength(500);
  });

  it('streams a body without a Content-Length, stopping past the cap', async () => {
    const chunked = new Response(new Blob(['a'.repeat(800), 'b'.repeat(800)]).stream());
    await expect(readBody(chunked, 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
    await expect(readBody(new Response(new Blob(['{"a":1}']).stream()), 1024)).resolves.toBe('{"a":1}');
  });

  it('joins a character split across chunks', async () => {
    const [first, second] = [new Uint8Array([0x7b, 0x22, 0xc3]), new Uint8Array([0xa9, 0x22, 0x3a, 0x31, 0x7d])]; // {"é":1}
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(first);
        controller.enqueue(second);
        controller.close();
      },
    });
    await expect(readBody(new Response(body), 1024)).resolves.toBe('{"é":1}');
  });

  it('ignores a Content-Length that is not a plain number', async () => {
    const odd = { status: 200, statusText: 'OK', headers: { get: () => '12, 12' }, text: async () => '{"a":1}' };
    await expect(readBody(odd, 1024)).resolves.toBe('{"a":1}');
  });
});
