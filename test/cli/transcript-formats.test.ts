import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/parse-duration.js';
import { formatTranscript, subtitleTimestamp } from '../../src/cli/transcript-formats.js';

describe('subtitleTimestamp', () => {
  it.each([
    [0, '00:00:00,000'],
    [1.0005, '00:00:01,001'],
    [59.9996, '00:01:00,000'], // rounding carries into the minutes
    [3599.999, '00:59:59,999'],
    [3661.5, '01:01:01,500'],
    [360_000.25, '100:00:00,250'], // past 99 hours, the hours just grow
    [-3, '00:00:00,000'],
    [Number.NaN, '00:00:00,000'],
  ])('%s s is %s in SRT', (seconds, srt) => {
    expect(subtitleTimestamp(seconds, ',')).toBe(srt);
    expect(subtitleTimestamp(seconds, '.')).toBe(srt.replace(',', '.'));
  });
});

describe('formatTranscript', () => {
  const printed = (transcript: { start: number; end: number; text: string; speaker?: string }[]) => ({ taskId: 't', runId: 1, transcript });

  it('takes an end before the start as the start, and trims cue text', () => {
    expect(formatTranscript('srt', printed([{ start: 2, end: 1, text: '  hi  ' }]))).toBe('1\n00:00:02,000 --> 00:00:02,000\nhi\n');
  });

  it('writes a cue without a voice tag when there is no speaker', () => {
    expect(formatTranscript('vtt', printed([{ start: 0, end: 1, text: 'a --> b' }]))).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\na --&gt; b\n');
  });

  it('handles an empty transcript', () => {
    const empty = printed([]);
    expect([formatTranscript('text', empty), formatTranscript('srt', empty), formatTranscript('vtt', empty)]).toEqual(['', '', 'WEBVTT\n']);
  });
});

describe('parseDuration', () => {
  it.each([
    ['2', 2000],
    ['0.5', 500],
    ['250ms', 250],
    ['3s', 3000],
    ['1.5m', 90_000],
    ['1h', 3_600_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration('--interval', text, { example: '2s' })).toBe(ms);
  });

  it.each(['', 'soon', '-1', '2 s', '1d', '0', '597h'])('refuses %j, in the command line\'s words', (text) => {
    expect(() => parseDuration('--timeout', text, { example: '90s', minMs: 1 })).toThrow(
      `--timeout must be a duration like 90s (ms, s, m or h, from 1ms to 596h), got ${JSON.stringify(text)}`,
    );
  });
});
