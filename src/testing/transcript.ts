/**
 * One segment of a simulated transcript, as CAMB returns it.
 *
 * @example
 * ```ts
 * import { startCambSimulator, type SimulatedSegment } from 'camb-rx/testing';
 * const transcript: SimulatedSegment[] = [{ start: 0, end: 1.5, text: 'Hi there', speaker: 'SPEAKER_0' }];
 * const simulator = await startCambSimulator({ tasks: [{ transcript }] });
 * ```
 */
export interface SimulatedSegment {
  /** Start time, seconds. */
  readonly start: number;
  /** End time, seconds. */
  readonly end: number;
  /** What was said. */
  readonly text: string;
  /** The speaker's label, e.g. `SPEAKER_0`. */
  readonly speaker: string;
}

/**
 * How a transcription result body is shaped: `object` is `{"transcript": [...]}`, `array` is the
 * bare segment array that some CAMB documentation shows.
 *
 * @example
 * ```ts
 * import { ResultShapes, startCambSimulator } from 'camb-rx/testing';
 * const simulator = await startCambSimulator({ tasks: [{ resultShape: ResultShapes.array }] });
 * ```
 */
export const ResultShapes = {
  /** `{"transcript": [...]}` (the default). */
  object: 'object',
  /** The bare segment array, `[...]`. */
  array: 'array',
} as const;

/**
 * One of the {@link ResultShapes}.
 *
 * @example
 * ```ts
 * import type { ResultShape } from 'camb-rx/testing';
 * const shape: ResultShape = 'array';
 * ```
 */
export type ResultShape = (typeof ResultShapes)[keyof typeof ResultShapes];

/**
 * The transcript of a simulated task that sets none: two segments, two speakers.
 *
 * @internal
 */
export const defaultTranscript: readonly SimulatedSegment[] = Object.freeze([
  Object.freeze({ start: 0, end: 2.4, text: 'Hello from the CAMB simulator.', speaker: 'SPEAKER_0' }),
  Object.freeze({ start: 2.4, end: 5, text: 'This transcript is synthetic.', speaker: 'SPEAKER_1' }),
]);

/** A word with its timing, added to each segment when `word_level_timestamps=true`. */
interface TimedWord {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Builds the JSON body of `GET /transcription-result/{run_id}`.
 *
 * With `wordLevel`, each segment also gets `words: [{ word, start, end }]`: its text split on
 * whitespace, the segment's time shared evenly between the words (rounded to milliseconds).
 *
 * @internal
 * @param segments - the task's transcript
 * @param shape - `object` or `array`
 * @param wordLevel - whether `word_level_timestamps=true` was asked
 * @returns the body, ready for `JSON.stringify`
 */
export function transcriptionResultBody(
  segments: readonly SimulatedSegment[],
  shape: ResultShape,
  wordLevel: boolean,
): unknown {
  const transcript = wordLevel ? segments.map(withWords) : segments;
  return shape === ResultShapes.array ? transcript : { transcript };
}

function withWords(segment: SimulatedSegment): SimulatedSegment & { readonly words: readonly TimedWord[] } {
  const words = segment.text.split(/\s+/).filter((word) => word.length > 0);
  const step = words.length > 0 ? (segment.end - segment.start) / words.length : 0;
  const at = (index: number): number => Math.round((segment.start + step * index) * 1000) / 1000;
  return { ...segment, words: words.map((word, index) => ({ word, start: at(index), end: at(index + 1) })) };
}
