import * as z from 'zod/mini';

const wordSchema = z.object({ word: z.string(), start: z.number(), end: z.number() });
const segmentSchema = z.object({
  start: z.number(),
  end: z.number(),
  text: z.string(),
  speaker: z.optional(z.nullable(z.string())),
  words: z.optional(z.array(wordSchema)),
});

/** One result body: `{"transcript": [...]}`, or the bare array some CAMB documentation shows. */
export const resultBodySchema = z.union([z.object({ transcript: z.array(segmentSchema) }), z.array(segmentSchema)]);

/** The body of `POST /transcription-results`: results keyed by run id. */
export const bulkResultBodySchema = z.record(z.string(), resultBodySchema);

/**
 * The body of `POST /transcribe`: `task_id` a string or a safe integer, checked as
 * `z.union([z.string(), z.int()])` would, without pulling that union and `z.int()` into bundles.
 */
export const createBodySchema = z.object({ task_id: z.custom<string | number>((v) => typeof v === 'string' || Number.isSafeInteger(v)) });

/**
 * A word with its timing, present when `wordLevelTimestamps` was asked for.
 *
 * @example
 * ```ts
 * import type { TranscriptWord } from 'camb-rx';
 * const timed = (words: readonly TranscriptWord[]) => words.map((w) => `${w.start.toFixed(2)}s ${w.word}`).join('\n');
 * ```
 */
export interface TranscriptWord {
  /** The word as transcribed. */
  readonly word: string;
  /** Where the word starts, in seconds from the start of the media. */
  readonly start: number;
  /** Where the word ends, in seconds from the start of the media. */
  readonly end: number;
}

/**
 * One segment of a transcript.
 *
 * @example
 * ```ts
 * import type { TranscriptSegment } from 'camb-rx';
 * const line = (s: TranscriptSegment) => `[${s.start.toFixed(1)}–${s.end.toFixed(1)}s] ${s.speaker ?? '?'}: ${s.text}`;
 * ```
 */
export interface TranscriptSegment {
  /** Where the segment starts, in seconds from the start of the media. */
  readonly start: number;
  /** Where the segment ends, in seconds from the start of the media. */
  readonly end: number;
  /** What was said in the segment. */
  readonly text: string;
  /** The speaker's label, e.g. `SPEAKER_0`, when CAMB gives one. */
  readonly speaker?: string;
  /** Word timings, with `wordLevelTimestamps: true`. */
  readonly words?: readonly TranscriptWord[];
}

/**
 * A transcript, whichever of its two documented shapes CAMB sent.
 *
 * @example
 * ```ts
 * import { transcriptionResult$ } from 'camb-rx';
 * transcriptionResult$(runId, { apiKey }).subscribe(({ transcript }) => console.log(transcript.map((s) => s.text).join(' ')));
 * ```
 */
export interface TranscriptionResult {
  /** The segments, in the order CAMB sent them. */
  readonly transcript: readonly TranscriptSegment[];
}

/** Normalises either result shape to {@link TranscriptionResult}; a null speaker is left out. */
export function toTranscriptionResult(body: z.infer<typeof resultBodySchema>): TranscriptionResult {
  const segments = Array.isArray(body) ? body : body.transcript;
  return {
    transcript: segments.map(({ speaker, words, ...segment }) => ({ ...segment, ...(speaker != null && { speaker }), ...(words && { words }) })),
  };
}
