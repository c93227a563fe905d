import type { MutableLogEntry, RequestLogEntry } from './request-log-entry.js';
import { requireNumber } from './option-checks.js';

interface Waiter {
  /** Called on every new or changed entry. */
  readonly onChange: (entry: RequestLogEntry) => void;
  /** Called when the log closes. */
  readonly onClose: () => void;
}

/**
 * The request log, and the waiters that watch it.
 *
 * @internal
 */
export class RequestLog {
  readonly #entries: MutableLogEntry[] = [];
  readonly #waiters = new Set<Waiter>();
  #closed = false;

  /**
   * @returns a copy of the log, oldest first (the entries themselves are live)
   */
  entries(): readonly RequestLogEntry[] {
    return this.#entries.slice();
  }

  /**
   * Appends an entry and tells the waiters.
   *
   * @param entry - the new entry
   */
  add(entry: MutableLogEntry): void {
    this.#entries.push(entry);
    this.changed(entry);
  }

  /**
   * Tells the waiters that an entry changed.
   *
   * @param entry - the changed entry
   */
  changed(entry: RequestLogEntry): void {
    for (const waiter of [...this.#waiters]) waiter.onChange(entry);
  }

  /**
   * Resolves with the first entry matching `predicate`, looking at the logged ones first, then
   * re-checking each entry as it arrives or changes.
   *
   * @param predicate - the test; every entry matches when absent
   * @param timeoutMs - how long to wait
   * @returns the matching entry
   */
  waitFor(predicate: (entry: RequestLogEntry) => boolean, timeoutMs: number): Promise<RequestLogEntry> {
    requireNumber(timeoutMs, 'waitForRequest timeoutMs');
    try {
      const found = this.#entries.find(predicate);
      if (found) return Promise.resolve(found);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#wait(timeoutMs, `waitForRequest: no matching request within ${timeoutMs} ms`, (entry, resolve) => {
      if (predicate(entry)) resolve(entry);
    });
  }

  /**
   * Resolves when the client closed the given request before its answer was complete.
   *
   * @param entry - an entry of this log
   * @param timeoutMs - how long to wait
   * @returns the entry
   */
  waitForClose(entry: RequestLogEntry, timeoutMs: number): Promise<RequestLogEntry> {
    requireNumber(timeoutMs, 'waitForClose timeoutMs');
    if (!this.#entries.includes(entry as MutableLogEntry)) {
      throw new TypeError('waitForClose: the entry is not one of this simulator\'s requests');
    }
    if (entry.closedByClient) return Promise.resolve(entry);
    if (entry.finishedAt !== undefined) return Promise.reject(endedError(entry));
    const message = `waitForClose: request #${entry.seq} was not closed by the client within ${timeoutMs} ms`;
    return this.#wait(timeoutMs, message, (changed, resolve, reject) => {
      if (changed !== entry) return;
      if (entry.closedByClient) resolve(entry);
      else if (entry.finishedAt !== undefined) reject(endedError(entry));
    });
  }

  /**
   * Rejects every pending waiter and clears their timers; later waits reject at once.
   */
  close(): void {
    this.#closed = true;
    for (const waiter of [...this.#waiters]) waiter.onClose();
  }

  #wait(
    timeoutMs: number,
    timeoutMessage: string,
    check: (entry: RequestLogEntry, resolve: (entry: RequestLogEntry) => void, reject: (error: Error) => void) => void,
  ): Promise<RequestLogEntry> {
    if (this.#closed) return Promise.reject(new Error('the CAMB simulator is closed'));
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const done = (entry: RequestLogEntry): void => {
        finish();
        resolve(entry);
      };
      const fail = (error: Error): void => {
        finish();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(timeoutMessage)), timeoutMs);
      const waiter: Waiter = {
        onChange: (entry) => {
          try {
            check(entry, done, fail);
          } catch (error) {
            fail(error instanceof Error ? error : new Error(String(error)));
          }
        },
        onClose: () => fail(new Error('the CAMB simulator closed while waiting')),
      };
      this.#waiters.add(waiter);
    });
  }
}

function endedError(entry: RequestLogEntry): Error {
  return new Error(`waitForClose: request #${entry.seq} ended without the client closing it (status ${entry.status ?? 'none'})`);
}
