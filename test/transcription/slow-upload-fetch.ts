import { setTimeout as sleep } from 'node:timers/promises';
import type { FetchLike } from '../../src/index.js';

/**
 * A fetch that sends a request body slowly, `chunkBytes` every `pauseMs`, so that a test can act
 * while an upload is really in progress (the simulator reading it as it arrives).
 *
 * @param chunkBytes - bytes sent per step
 * @param pauseMs - pause before each step
 * @returns a {@link FetchLike} over the global fetch
 */
export function slowUploadFetch(chunkBytes: number, pauseMs: number): FetchLike {
  return async (url, init) => {
    // A Request serialises the FormData (boundary and all) exactly as fetch would send it.
    const encoded = new Request(url, { method: init.method, ...(init.body !== undefined && { body: init.body }) });
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (offset >= bytes.byteLength) return controller.close();
        await sleep(pauseMs);
        controller.enqueue(bytes.subarray(offset, (offset += chunkBytes)));
      },
    });
    const headers = { ...init.headers, 'content-type': encoded.headers.get('content-type') ?? '' };
    return fetch(url, { ...init, headers, body, duplex: 'half' } as RequestInit);
  };
}
