import { Ansi, SPINNER_FRAMES, fitToWidth, palette, type Palette } from './ansi.js';
import type { OutputStream } from './cli-io.js';
import { formatElapsed } from './format-elapsed.js';
import { summaryLine, type TaskBoard, type TaskRow } from './task-board.js';

/** Options of {@link LiveDisplay}. */
export interface LiveDisplayOptions {
  /**
   * The time between redraws, however often statuses change.
   * @default 100
   */
  frameMs?: number;
  /**
   * Colour the icons and statuses.
   * @default true
   */
  color?: boolean;
}

/**
 * The watch's live view for a terminal: one line per task (spinner, id, status, polls, elapsed)
 * and a summary line, redrawn in place at most once per frame, and only when it changed. Lines
 * are cut to the terminal's width, and tasks beyond its height are summed up in one line.
 */
export class LiveDisplay {
  private readonly out: OutputStream;
  private readonly board: TaskBoard;
  private readonly frameMs: number;
  private readonly paint: Palette;
  private timer: NodeJS.Timeout | undefined;
  private lastFrame = '';
  private lineCount = 0;
  private note = '';

  /**
   * @param out - a terminal (`columns` and `rows` are read at each frame)
   * @param board - the tasks to show
   * @param options - frame time and colour
   */
  constructor(out: OutputStream, board: TaskBoard, { frameMs = 100, color = true }: LiveDisplayOptions = {}) {
    this.out = out;
    this.board = board;
    this.frameMs = frameMs;
    this.paint = palette(color);
  }

  /** Hides the cursor and starts drawing, once per frame. */
  start(): void {
    this.out.write(Ansi.hideCursor);
    this.timer = setInterval(() => this.render(), this.frameMs);
  }

  /**
   * Stops redrawing, draws the last frame and shows the cursor again.
   *
   * @param note - added to the summary line, e.g. `(interrupted)`
   */
  stop(note = ''): void {
    clearInterval(this.timer);
    this.note = note;
    this.render();
    this.out.write(Ansi.showCursor);
  }

  /** Draws the current state over the previous frame, unless nothing changed. */
  render(): void {
    const width = Math.max(20, this.out.columns ?? 80);
    const lines = this.lines(Math.max(3, (this.out.rows ?? 24) - 1)).map((line) => fitToWidth(line, width - 1));
    const frame = lines.join('\n');
    if (frame === this.lastFrame) return;
    const body = lines.map((line) => `${Ansi.clearLine}${line}\n`).join('');
    this.out.write(`${Ansi.up(this.lineCount)}\r${body}${Ansi.clearBelow}`);
    this.lastFrame = frame;
    this.lineCount = lines.length;
  }

  /** The frame's lines: tasks, perhaps a line for those that do not fit, and the summary. */
  private lines(room: number): string[] {
    const rows = this.board.rows();
    // When the tasks do not fit, the ones that succeeded make room first.
    const shown = rows.length < room ? rows : rows.filter((row) => row.outcome !== 'succeeded').slice(0, room - 2);
    const idWidth = Math.min(36, Math.max(0, ...shown.map((row) => row.taskId.length)));
    const statusWidth = Math.max(7, ...shown.map((row) => row.status.length));
    const lines = shown.map((row) => this.taskLine(row, idWidth, statusWidth));
    if (shown.length < rows.length) lines.push(this.paint.dim(`  … and ${rows.length - shown.length} more`));
    const counts = this.board.counts();
    const elapsed = formatElapsed(this.board.now() - this.board.startedAt);
    lines.push(this.paint.bold(`${summaryLine(counts)}  ${elapsed}${this.note && ` ${this.note}`}`));
    return lines;
  }

  private taskLine(row: TaskRow, idWidth: number, statusWidth: number): string {
    const { green, red, cyan, dim } = this.paint;
    const icon = row.outcome === 'succeeded' ? green('✔') : row.outcome === 'failed' ? red('✖') : cyan(this.spinnerFrame());
    const id = row.taskId.length > idWidth ? `${row.taskId.slice(0, idWidth - 1)}…` : row.taskId.padEnd(idWidth);
    const status = row.status.padEnd(statusWidth);
    const colored = row.outcome === 'succeeded' ? green(status) : row.outcome === 'failed' ? red(status) : status;
    const polls = `${row.polls} ${row.polls === 1 ? 'poll ' : 'polls'}`.padStart(9);
    const elapsed = formatElapsed(this.board.elapsedMs(row)).padStart(6);
    return `${icon} ${id}  ${colored}  ${dim(polls)}  ${elapsed}${row.detail ? `  ${dim(row.detail)}` : ''}`;
  }

  private spinnerFrame(): string {
    return SPINNER_FRAMES[Math.floor(this.board.now() / this.frameMs) % SPINNER_FRAMES.length] as string;
  }
}
