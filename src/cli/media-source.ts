import { stat } from 'node:fs/promises';
import type { TranscriptionRequest } from '../index.js';
import { readMediaFile } from '../node/read-media-file.js';
import { formatBytes } from './format-bytes.js';
import { UsageError } from './usage-error.js';

/** The media part of a transcription request, and how to tell the user what is sent. */
export interface MediaSource {
  readonly media: Pick<TranscriptionRequest, 'mediaUrl' | 'mediaFile' | 'fileName'>;
  readonly description: string;
}

/**
 * Reads `camb-rx transcribe`'s argument: an http(s) URL is sent as `media_url` for CAMB to fetch;
 * anything else is a local file, opened lazily with `readMediaFile` and uploaded.
 *
 * @param source - a path or an http(s) URL
 * @returns the request fields and a description
 * @throws UsageError when the URL is malformed or the path is not a readable file
 */
export async function mediaSource(source: string): Promise<MediaSource> {
  if (/^https?:\/\//i.test(source)) {
    if (!URL.canParse(source)) throw new UsageError(`not a valid URL: ${source}`);
    return { media: { mediaUrl: source }, description: `asking CAMB to fetch ${source}` };
  }
  const info = await stat(source).catch(() => undefined);
  if (info?.isDirectory()) throw new UsageError(`cannot read ${source}: it is a directory, not a file`);
  if (!info?.isFile()) throw new UsageError(`cannot read ${source}: ${info ? 'not a regular file' : 'no such file'}`);
  const media = await readMediaFile(source).catch((error: unknown) => {
    throw new UsageError(`cannot read ${source}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (media.mediaFile.size === 0) throw new UsageError(`${source} is empty (0 bytes): there is nothing to transcribe`);
  return { media, description: `uploading ${media.fileName} (${formatBytes(media.mediaFile.size)})` };
}
