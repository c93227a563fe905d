import type { TranscriptSegment } from '../index.js';

/** The output formats of `camb-rx transcribe --format`. */
export const TranscriptFormats = ['text', 'json', 'srt', 'vtt'] as const;

/** One of the {@link TranscriptFormats}. */
export type TranscriptFormat = (typeof TranscriptFormats)[number];

/** What is printed: the transcript and where it came from. */
export interface PrintedTranscript {
  readonly taskId: string;
  readonly runId: number;
  readonly transcript: readonly TranscriptSegment[];
}

/**
 * Formats a transcript: `text` (one segment per line), `json` (`{ taskId, runId, transcript }`),
 * `srt` (SubRip) or `vtt` (WebVTT, with the speaker as a voice tag).
 *
 * @param format - the format
 * @param printed - the transcript
 * @returns the whole output, ending with a newline
 */
export function formatTranscript(format: TranscriptFormat, printed: PrintedTranscript): string {
  const { transcript } = printed;
  switch (format) {
    case 'text':
      return transcript.map((segment) => `${oneLine(segment.text)}\n`).join('');
    case 'json':
      return `${JSON.stringify(printed, null, 2)}\n`;
    case 'srt':
      return transcript.map((segment, i) => `${i + 1}\n${cueTiming(segment, ',')}\n${cueText(segment.text)}\n`).join('\n');
    case 'vtt': {
      const cues = transcript.map((segment) => {
        const voice = segment.speaker ? `<v ${escapeVtt(segment.speaker)}>` : '';
        return `${cueTiming(segment, '.')}\n${voice}${escapeVtt(cueText(segment.text))}\n`;
      });
      return ['WEBVTT\n', ...cues].join('\n');
    }
  }
}

/**
 * A subtitle timestamp: `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (WebVTT), rounded to the millisecond.
 *
 * @param seconds - from the start of the media; negative or non-finite counts as 0
 * @param separator - `,` for SRT, `.` for WebVTT
 * @returns the timestamp
 */
export function subtitleTimestamp(seconds: number, separator: ',' | '.'): string {
  const totalMs = Number.isFinite(seconds) ? Math.max(0, Math.round(seconds * 1000)) : 0;
  const pad = (value: number, digits = 2) => String(value).padStart(digits, '0');
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor(totalMs / 60_000) % 60;
  const secs = Math.floor(totalMs / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}${separator}${pad(totalMs % 1000, 3)}`;
}

/** The timing line of a cue; an end before the start is taken as the start. */
const cueTiming = ({ start, end }: TranscriptSegment, separator: ',' | '.') =>
  `${subtitleTimestamp(start, separator)} --> ${subtitleTimestamp(Math.max(start, end), separator)}`;

/** Cue text never holds a blank line, which would end the cue. */
const cueText = (text: string) => text.trim().replace(/\n\s*\n/g, '\n');

const oneLine = (text: string) => text.trim().replace(/\s*\n\s*/g, ' ');

const escapeVtt = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
