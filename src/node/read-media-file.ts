import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

/**
 * Opens a local media file for `createTranscription$` / `transcribe$` in Node, as a lazy `Blob`
 * (the file is streamed when the request is sent, not read into memory now) with its file name.
 *
 * @param path - the file's path
 * @param type - its MIME type, e.g. `audio/wav`
 * @returns `{ mediaFile, fileName }`, to spread into a `TranscriptionRequest`
 * @example
 * ```ts
 * import { transcribe$ } from 'camb-rx';
 * import { readMediaFile } from 'camb-rx/node';
 * transcribe$({ language: 1, ...(await readMediaFile('talk.wav')) }, { apiKey }).subscribe(console.log);
 * ```
 */
export async function readMediaFile(path: string, type = ''): Promise<{ mediaFile: Blob; fileName: string }> {
  const mediaFile = await openAsBlob(path, { type });
  return { mediaFile, fileName: basename(path) };
}
