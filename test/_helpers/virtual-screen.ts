/**
 * What a terminal would show after some output: the control sequences the CLI writes (carriage
 * return, newline, erase line `ESC[2K` / `ESC[K`, cursor up `ESC[nA`, erase below `ESC[J`) are
 * applied to a grid of lines; colours and cursor visibility are dropped. Long lines are not wrapped:
 * the CLI cuts its own lines to the width.
 *
 * @param output - everything written to the terminal
 * @returns the screen's lines, trailing blanks and blank lines at the end removed
 */
export function screenOf(output: string): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let column = 0;
  const line = () => (lines[row] ??= []);
  for (let i = 0; i < output.length; i += 1) {
    const char = output[i] as string;
    if (char === '\x1b' && output[i + 1] === '[') {
      const match = /^\x1b\[([?\d;]*)([A-Za-z])/.exec(output.slice(i));
      if (!match) continue;
      i += match[0].length - 1;
      const [, params = '', command] = match;
      const count = Number(params) || 1;
      if (command === 'A') row = Math.max(0, row - count);
      else if (command === 'K' && params === '2') lines[row] = [];
      else if (command === 'K') line().length = Math.min(line().length, column);
      else if (command === 'J') {
        line().length = Math.min(line().length, column);
        lines.length = row + 1;
      }
      continue;
    }
    if (char === '\r') column = 0;
    else if (char === '\n') {
      row += 1;
      column = 0;
      line();
    } else if (char >= ' ' || char === '\t') {
      const cells = line();
      while (cells.length < column) cells.push(' ');
      cells[column] = char;
      column += 1;
    }
  }
  const text = Array.from(lines, (cells = []) => cells.join('').trimEnd());
  while (text.length > 0 && text.at(-1) === '') text.pop();
  return text;
}
