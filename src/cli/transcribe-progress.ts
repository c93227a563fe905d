import { Ansi, SPINNER_FRAMES, fitToWidth } from './ansi.js';
import type { OutputStream } from './cli-io.js';

/**
 * The progress of `camb-rx transcribe`, on stderr. On a terminal: one line with a spinner,
 * rewritten in place (at most once per frame), under the notes that must stay on screen;
 * otherwise one plain line per step or note, and the in-between updates (poll counts) are left out.
 */
export class TranscribeProgress {
  private readonly out: OutputStream;
  private readonly frameMs: number;
  private text = '';
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param out - stderr
   * @param frameMs - the time between redraws on a terminal
   */
  constructor(out: OutputStream, frameMs = 100) {
    this.out = out;
    this.frameMs = frameMs;
  }

  /** A new step, e.g. `PENDING (poll 2, 4.1s)`: the spinner's text on a terminal, else a line of its own. */
  step(text: string): void {
    this.text = text;
    if (!this.out.isTTY) this.out.write(`${text}\n`);
    else if (!this.timer) {
      this.out.write(Ansi.hideCursor);
      this.draw();
      this.timer = setInterval(() => this.draw(), this.frameMs);
    }
  }

  /**
   * A line that stays on screen whatever comes after, e.g. `created task …`: on a terminal it is
   * written above the spinner line, which is drawn again below it.
   */
  note(text: string): void {
    if (!this.timer) {
      this.out.write(`${text}\n`);
      return;
    }
    this.out.write(`\r${Ansi.clearLine}${text}\n`);
    this.draw();
  }

  /** New details of the current step, e.g. the poll count: shown on a terminal only. */
  update(text: string): void {
    this.text = text;
  }

  /** Ends the progress: the terminal line is cleared and the cursor shown; `text` stays as the last line. */
  end(text?: string): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.out.write(`\r${Ansi.clearLine}${Ansi.showCursor}`);
    }
    if (text !== undefined) this.out.write(`${text}\n`);
  }

  private draw(): void {
    const spinner = SPINNER_FRAMES[this.frame++ % SPINNER_FRAMES.length] as string;
    const width = Math.max(20, this.out.columns ?? 80) - 1;
    this.out.write(`\r${Ansi.clearLine}${fitToWidth(`${spinner} ${this.text}`, width)}`);
  }
}
