import { afterEach, describe, expect, it, vi } from 'vitest';
import { TranscribeProgress } from '../../src/cli/transcribe-progress.js';
import { screenOf } from '../_helpers/virtual-screen.js';

/** A fake stream: records what is written. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 60, rows: 20, writes, write: (text: string) => writes.push(text), text: () => writes.join('') };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TranscribeProgress', () => {
  it('on a terminal, keeps notes on screen above the spinner line, which the steps rewrite', () => {
    vi.useFakeTimers();
    const out = fakeStream(true);
    const progress = new TranscribeProgress(out, 100);
    progress.step('uploading talk.wav (1.0 kB)');
    progress.note('created task 4f1e');
    progress.step('PENDING (poll 1, 0.1s)');
    vi.advanceTimersByTime(100);
    progress.update('PENDING (poll 2, 2.1s)');
    vi.advanceTimersByTime(100);
    expect(screenOf(out.text())).toEqual(['created task 4f1e', expect.stringMatching(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] PENDING \(poll 2, 2\.1s\)$/)]);
    progress.end('camb-rx: interrupted');
    expect(screenOf(out.text())).toEqual(['created task 4f1e', 'camb-rx: interrupted']);
    const written = out.writes.length;
    vi.advanceTimersByTime(1000);
    expect(out.writes.length).toBe(written); // no frame after the end
  });

  it('elsewhere, writes each step and note as a line of its own, and leaves the updates out', () => {
    const out = fakeStream(false);
    const progress = new TranscribeProgress(out);
    progress.step('uploading talk.wav (1.0 kB)');
    progress.note('created task 4f1e');
    progress.step('PENDING (poll 1, 0.1s)');
    progress.update('PENDING (poll 2, 2.1s)');
    progress.end('camb-rx: interrupted');
    expect(out.text()).toBe('uploading talk.wav (1.0 kB)\ncreated task 4f1e\nPENDING (poll 1, 0.1s)\ncamb-rx: interrupted\n');
  });
});
