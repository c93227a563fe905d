import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

/**
 * Opens a local media file for `createTranscription$` / `transcribe$` in Node, as a lazy `Blob`
 * (the file is streamed when the request is sent, not read into memory now) with its file name.
 *
 * @param path - the file's path
 * @param type - its MIME type, e.g. `audio/wav`
 * @returns `{ mediaFile, fileName }`, to spread into a `TranscriptionRequest`
 * @throws Error (rejecting) when the file cannot be opened, with Node's error as `cause`
 * @example
 * ```ts
 * import { transcribe$ } from 'camb-rx';
 * import { readMediaFile } from 'camb-rx/node';
 * transcribe$({ language: 1, ...(await readMediaFile('talk.wav')) }, { apiKey }).subscribe(console.log);
 * ```
 */
export async function readMediaFile(
  path: string,
  type = '',
): Promise<{
  /** The file's bytes, read when the request is sent. */
  mediaFile: Blob;
  /** The file's base name, sent as the upload's file name. */
  fileName: string;
}> {
  try {
    return { mediaFile: await openAsBlob(path, { type }), fileName: basename(path) };
  } catch (cause) {
    // Node 20 says only "Unable to open file as blob", without the path or the reason.
    throw new Error(`camb-rx: cannot open the media file ${JSON.stringify(path)}`, { cause });
  }
}
