/** The ANSI control sequences the live display uses, and text styling that can be turned off. */
const CSI = '\x1b[';

/** Cursor and erase sequences. */
export const Ansi = {
  hideCursor: `${CSI}?25l`,
  showCursor: `${CSI}?25h`,
  /** Erases the whole current line. */
  clearLine: `${CSI}2K`,
  /** Erases from the cursor to the end of the screen. */
  clearBelow: `${CSI}J`,
  /** Moves the cursor up `lines` lines (nothing for 0). */
  up: (lines: number): string => (lines > 0 ? `${CSI}${lines}A` : ''),
} as const;

/** The frames of the spinner that marks work in progress. */
export const SPINNER_FRAMES: readonly string[] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Colours for text; each is the identity when colour is off. */
export interface Palette {
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

/**
 * The colours, or none (for `NO_COLOR`).
 *
 * @param enabled - whether to colour
 * @returns the palette
 */
export function palette(enabled: boolean): Palette {
  const sgr = (code: number) => (text: string) => (enabled ? `${CSI}${code}m${text}${CSI}0m` : text);
  return { green: sgr(32), red: sgr(31), yellow: sgr(33), cyan: sgr(36), dim: sgr(2), bold: sgr(1) };
}

const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]/g;
const ESCAPE_AT = /\x1b\[[0-9;?]*[A-Za-z]/y;

/**
 * Cuts a line to `width` visible characters (escape sequences take no room), ending it with `…`
 * when cut, so that it never wraps: a wrapped line would break redrawing in place.
 *
 * @param line - text, possibly with colour sequences
 * @param width - the room, in characters
 * @returns the line as it fits
 */
export function fitToWidth(line: string, width: number): string {
  const styled = line.includes('\x1b[');
  if ((styled ? line.replace(ESCAPES, '') : line).length <= width) return line;
  let visible = 0;
  let i = 0;
  while (visible < width - 1 && i < line.length) {
    ESCAPE_AT.lastIndex = i;
    const escape = ESCAPE_AT.exec(line);
    i += escape ? escape[0].length : 1;
    if (!escape) visible += 1;
  }
  return `${line.slice(0, i)}…${styled ? `${CSI}0m` : ''}`;
}
