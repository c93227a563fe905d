import { assertKnownKeys, optionKeys } from '../util/assert-known-keys.js';
import { optionError } from '../util/assert-option.js';

/**
 * What to transcribe: exactly one of `mediaUrl` or `mediaFile`, and the spoken `language`.
 *
 * @example
 * ```ts
 * import type { TranscriptionRequest } from 'camb-rx';
 * const request: TranscriptionRequest = { language: 1, mediaUrl: 'https://example.com/talk.mp3' };
 * ```
 */
export interface TranscriptionRequest {
  /** CAMB's language id of the speech, e.g. 1 for en-us. */
  language: number;
  /**
   * A public http(s) URL CAMB downloads the media from; give this or `mediaFile`.
   * @default undefined
   */
  mediaUrl?: string | undefined;
  /**
   * The media itself: a `Blob`/`File`, or bytes (a Node `Buffer` is fine); give this or `mediaUrl`.
   * An empty one (0 bytes) is refused when the function is called.
   * In Node, `readMediaFile(path)` from `camb-rx/node` opens a file.
   * @default undefined
   */
  mediaFile?: Blob | Uint8Array | undefined;
  /**
   * The file name sent with `mediaFile`.
   * @default the File's own name, else 'media'
   */
  fileName?: string | undefined;
  /**
   * The name of the CAMB project the task is filed under (`project_name`).
   * @default undefined — CAMB picks one
   */
  projectName?: string | undefined;
  /**
   * The project's description (`project_description`).
   * @default undefined
   */
  projectDescription?: string | undefined;
  /**
   * The CAMB folder to put the project in (`folder_id`).
   * @default undefined
   */
  folderId?: number | undefined;
}

const requestKeys = optionKeys<TranscriptionRequest>({
  language: true,
  mediaUrl: true,
  mediaFile: true,
  fileName: true,
  projectName: true,
  projectDescription: true,
  folderId: true,
});

/**
 * Checks a request when `createTranscription$` or `transcribe$` is called; throws `TypeError`.
 */
export function assertTranscriptionRequest(request: TranscriptionRequest): void {
  if (typeof request !== 'object' || request === null) throw optionError('request', 'a TranscriptionRequest object', request);
  assertKnownKeys(request, requestKeys, 'request.');
  const { language, mediaUrl, mediaFile, fileName, projectName, projectDescription, folderId } = request;
  // Safe integers only: a larger number is sent as e.g. "1e+21", which CAMB refuses with a 422.
  if (!Number.isSafeInteger(language) || language < 1) throw optionError('request.language', 'a positive whole number (1 = en-us)', language);
  if ((mediaUrl === undefined) === (mediaFile === undefined)) {
    throw new TypeError('camb-rx: a TranscriptionRequest needs exactly one of `mediaUrl` or `mediaFile`');
  }
  if (mediaUrl !== undefined && !(typeof mediaUrl === 'string' && /^https?:\/\//i.test(mediaUrl) && URL.canParse(mediaUrl))) {
    throw optionError('request.mediaUrl', 'an absolute http(s) URL', mediaUrl);
  }
  if (mediaFile !== undefined && !(mediaFile instanceof Blob) && !(mediaFile instanceof Uint8Array)) {
    throw optionError('request.mediaFile', 'a Blob, File or Uint8Array', mediaFile);
  }
  if (mediaFile !== undefined && (mediaFile instanceof Blob ? mediaFile.size : mediaFile.byteLength) === 0) {
    throw new TypeError('camb-rx: option `request.mediaFile` is empty (0 bytes): there is nothing to transcribe');
  }
  for (const [name, value] of Object.entries({ fileName, projectName, projectDescription })) {
    if (value !== undefined && typeof value !== 'string') throw optionError(`request.${name}`, 'a string', value);
  }
  if (folderId !== undefined && !Number.isSafeInteger(folderId)) throw optionError('request.folderId', 'a whole number', folderId);
}

/** The multipart body of `POST /transcribe`, built fresh for each attempt. */
export function transcriptionForm(request: TranscriptionRequest): FormData {
  const form = new FormData();
  form.set('language', String(request.language));
  if (request.mediaUrl !== undefined) form.set('media_url', request.mediaUrl);
  if (request.mediaFile !== undefined) {
    const file = request.mediaFile;
    const blob = file instanceof Blob ? file : new Blob([file as Uint8Array<ArrayBuffer>]);
    const ownName = typeof File !== 'undefined' && file instanceof File ? file.name : undefined;
    form.set('media_file', blob, request.fileName ?? ownName ?? 'media');
  }
  if (request.projectName !== undefined) form.set('project_name', request.projectName);
  if (request.projectDescription !== undefined) form.set('project_description', request.projectDescription);
  if (request.folderId !== undefined) form.set('folder_id', String(request.folderId));
  return form;
}
