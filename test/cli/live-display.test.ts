import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveDisplay } from '../../src/cli/live-display.js';
import { TaskBoard } from '../../src/cli/task-board.js';
import { CambHttpError, type TaskStatus } from '../../src/index.js';
import { taskStatus } from '../_helpers/statuses.js';
import { screenOf } from '../_helpers/virtual-screen.js';

const ESC = '\x1b[';

/** A fake terminal: records what is written. */
function fakeTerminal(columns = 80, rows = 24) {
  const writes: string[] = [];
  return { isTTY: true, columns, rows, writes, write: (text: string) => writes.push(text), text: () => writes.join('') };
}

/** A board on a clock the test moves. */
function boardAt(startMs = 0) {
  const clock = { now: startMs };
  return { clock, board: new TaskBoard(() => clock.now) };
}

const status = (taskId: string, value: string, overrides: Partial<TaskStatus> = {}) => taskStatus(value, { taskId, ...overrides });

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveDisplay', () => {
  it('draws one line per task and a summary line, then redraws them in place', () => {
    const out = fakeTerminal();
    const { clock, board } = boardAt();
    board.add('task-a');
    board.add('task-b');
    const display = new LiveDisplay(out, board, { color: false });
    display.render();
    expect(out.writes).toEqual([
      '\r' +
        `${ESC}2K⠋ task-a  waiting    0 polls    0.0s\n` +
        `${ESC}2K⠋ task-b  waiting    0 polls    0.0s\n` +
        `${ESC}2K0 done / 0 failed / 2 pending  0.0s\n` +
        `${ESC}J`,
    ]);

    clock.now = 1250;
    board.record(status('task-a', 'PENDING', { poll: 1 }));
    board.record(status('task-a', 'SUCCESS', { poll: 2, runId: 7 }));
    board.record(status('task-b', 'ERROR', { poll: 3, exceptionReason: 'SOURCE_TOO_LONG', message: 'Audio over 2 h' }));
    display.render();
    expect(out.writes[1]).toBe(
      `${ESC}3A\r` +
        `${ESC}2K✔ task-a  SUCCESS    2 polls    1.3s\n` +
        `${ESC}2K✖ task-b  ERROR      3 polls    1.3s  SOURCE_TOO_LONG: Audio over 2 h\n` +
        `${ESC}2K1 done / 1 failed / 0 pending  1.3s\n` +
        `${ESC}J`,
    );
  });

  it('shows a task that cannot be followed with a short label and the error', () => {
    const out = fakeTerminal(120);
    const { board } = boardAt();
    board.fail('ghost', new CambHttpError({ status: 404, method: 'GET', url: 'http://127.0.0.1/apis/transcribe/ghost' }));
    new LiveDisplay(out, board, { color: false }).render();
    expect(out.text()).toContain('✖ ghost  HTTP 404    0 polls    0.0s  CAMB answered 404 to GET http://127.0.0.1/apis/transcribe/ghost\n');
  });

  it('shows a retried read as a note on its task until the next status, and not on a task that has ended', () => {
    const out = fakeTerminal(120);
    const { board } = boardAt();
    board.record(status('slow', 'PENDING', { poll: 1 }));
    board.record(status('done', 'SUCCESS', { poll: 1 }));
    const display = new LiveDisplay(out, board, { color: false });
    expect(board.retrying('slow', 'retrying (503), 2nd attempt in 1.2 s')).toBe(true);
    expect(board.retrying('done', 'retrying (503), 2nd attempt in 1.2 s')).toBe(false);
    expect(board.retrying('unknown', 'retrying (503), 2nd attempt in 1.2 s')).toBe(false);
    display.render();
    expect(screenOf(out.text())).toEqual([
      '⠋ slow  PENDING    1 poll     0.0s  retrying (503), 2nd attempt in 1.2 s',
      '✔ done  SUCCESS    1 poll     0.0s',
      '1 done / 0 failed / 1 pending  0.0s',
    ]);
    board.record(status('slow', 'PENDING', { poll: 2 }));
    display.render();
    expect(screenOf(out.text())[0]).toBe('⠋ slow  PENDING    2 polls    0.0s');
  });

  it('animates the spinner and the elapsed time of pending tasks, and writes nothing when nothing changed', () => {
    const out = fakeTerminal();
    const { clock, board } = boardAt();
    board.add('t');
    const display = new LiveDisplay(out, board, { color: false, frameMs: 100 });
    display.render();
    clock.now = 100;
    display.render();
    expect(out.writes[1]).toContain('⠙ t  waiting    0 polls    0.1s');
    board.record(status('t', 'SUCCESS', { poll: 1 }));
    clock.now = 200;
    display.render();
    clock.now = 5000; // a finished task's line no longer changes; the summary's clock does
    const before = out.writes.length;
    display.render();
    expect(out.writes.length).toBe(before + 1);
    expect(out.writes.at(-1)).toContain('1 done / 0 failed / 0 pending  5.0s');
    display.render();
    expect(out.writes.length).toBe(before + 1);
  });

  it('cuts lines to the terminal width, so they never wrap', () => {
    const out = fakeTerminal(40);
    const { board } = boardAt();
    board.record(status('a-very-long-task-id-0123456789', 'ERROR', { exceptionReason: 'PROCESSING_ERROR', message: 'x'.repeat(80) }));
    new LiveDisplay(out, board).render();
    const lines = out.text().split('\n').slice(0, -1);
    const visible = (line: string) => line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/^\r/, '');
    expect(lines.every((line) => visible(line).length <= 39)).toBe(true);
    expect(visible(lines[0] ?? '')).toBe('✖ a-very-long-task-id-0123456789  ERRO…');
    expect(lines[0]?.endsWith(`…${ESC}0m`)).toBe(true); // colours are reset after the cut
  });

  it('sums up the tasks that do not fit the terminal height, letting those that succeeded go first', () => {
    const out = fakeTerminal(80, 6);
    const { board } = boardAt();
    for (const id of ['ok-1', 'ok-2', 'p-1', 'p-2', 'p-3', 'p-4']) board.add(id);
    board.record(status('ok-1', 'SUCCESS'));
    board.record(status('ok-2', 'SUCCESS'));
    new LiveDisplay(out, board, { color: false }).render();
    const lines = out.text().split('\n').slice(0, -1).map((line) => line.replace(/^\r?\x1b\[2K/, ''));
    expect(lines).toEqual([
      '⠋ p-1  waiting    0 polls    0.0s',
      '⠋ p-2  waiting    0 polls    0.0s',
      '⠋ p-3  waiting    0 polls    0.0s',
      '  … and 3 more',
      '2 done / 0 failed / 4 pending  0.0s',
    ]);
  });

  it('colours icons and statuses unless colour is off', () => {
    const out = fakeTerminal();
    const { board } = boardAt();
    board.record(status('a', 'SUCCESS'));
    board.record(status('b', 'TIMEOUT'));
    new LiveDisplay(out, board).render();
    expect(out.text()).toContain(`${ESC}32m✔${ESC}0m a  ${ESC}32mSUCCESS${ESC}0m`);
    expect(out.text()).toContain(`${ESC}31m✖${ESC}0m b  ${ESC}31mTIMEOUT${ESC}0m`);
  });

  it('hides the cursor on start, redraws at most once per frame however many statuses arrive, and shows the cursor on stop (interrupted or not)', () => {
    vi.useFakeTimers();
    const out = fakeTerminal();
    const { clock, board } = boardAt();
    const display = new LiveDisplay(out, board, { color: false, frameMs: 100 });
    display.start();
    expect(out.writes).toEqual([`${ESC}?25l`]);
    for (let i = 1; i <= 500; i += 1) {
      board.record(status(`t${i % 5}`, 'PENDING', { poll: i }));
      if (i % 50 === 0) {
        clock.now += 100;
        vi.advanceTimersByTime(100);
      }
    }
    expect(out.writes.length).toBe(1 + 10); // ten frames for a second, not 500
    display.stop('(interrupted)');
    expect(out.writes.at(-2)).toContain('0 done / 0 failed / 5 pending  1.0s (interrupted)\n');
    expect(out.writes.at(-1)).toBe(`${ESC}?25h`);
    const written = out.writes.length;
    vi.advanceTimersByTime(1000);
    expect(out.writes.length).toBe(written); // no frame after stop
  });
});
