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

/** The body of `POST /transcribe`. */
export const createBodySchema = z.object({ task_id: z.union([z.string(), z.int()]) });

/** A word with its timing, present when `wordLevelTimestamps` was asked for. */
export interface TranscriptWord {
  readonly word: string;
  /** Seconds. */
  readonly start: number;
  /** Seconds. */
  readonly end: number;
}

/** One segment of a transcript. */
export interface TranscriptSegment {
  /** Seconds from the start of the media. */
  readonly start: number;
  /** Seconds from the start of the media. */
  readonly end: number;
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
  readonly transcript: readonly TranscriptSegment[];
}

/** Normalises either result shape to {@link TranscriptionResult}; a null speaker is left out. */
export function toTranscriptionResult(body: z.infer<typeof resultBodySchema>): TranscriptionResult {
  const segments = Array.isArray(body) ? body : body.transcript;
  return {
    transcript: segments.map(({ speaker, words, ...segment }) => ({ ...segment, ...(speaker != null && { speaker }), ...(words && { words }) })),
  };
}
