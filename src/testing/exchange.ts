import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MutableLogEntry } from './request-log-entry.js';

/**
 * One request and its response, with the bookkeeping every answer needs: the log entry, an
 * abort signal for the timers it waits on, and who ended the connection.
 *
 * @internal
 */
export class Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly entry: MutableLogEntry;
  readonly #controller = new AbortController();
  readonly #changed: (entry: MutableLogEntry) => void;
  #destroyedByServer = false;

  /**
   * @param req - the request
   * @param res - its response
   * @param entry - its log entry
   * @param changed - tells the log the entry changed
   * @param ended - called once when the exchange ends, however it ends
   */
  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    entry: MutableLogEntry,
    changed: (entry: MutableLogEntry) => void,
    ended: (exchange: Exchange) => void,
  ) {
    this.req = req;
    this.res = res;
    this.entry = entry;
    this.#changed = changed;
    res.once('close', () => {
      this.#controller.abort();
      entry.finishedAt = performance.now();
      entry.closedByClient = !res.writableFinished && !this.#destroyedByServer;
      ended(this);
      changed(entry);
    });
  }

  /** Aborted once the exchange has ended or the simulator is closing: stop working on it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /**
   * Waits, unless the exchange ends first (the timer is then cleared).
   *
   * @param ms - the pause
   * @returns true when the whole pause passed, false when the exchange ended
   */
  async pause(ms: number): Promise<boolean> {
    if (this.signal.aborted) return false;
    if (ms <= 0) return true;
    try {
      await sleep(ms, undefined, { signal: this.signal });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Waits for the response to drain after a write returned false.
   *
   * @returns true when drained, false when the exchange ended
   */
  async drain(): Promise<boolean> {
    try {
      await once(this.res, 'drain', { signal: this.signal });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Writes the status line and headers, and records the status in the log.
   *
   * @param status - the status code
   * @param headers - the headers (CORS headers are already set)
   */
  writeHead(status: number, headers: Readonly<Record<string, string | number>>): void {
    this.res.writeHead(status, headers);
    this.entry.status = status;
    this.#changed(this.entry);
  }

  /**
   * Sends a complete body with its `Content-Length`.
   *
   * @param status - the status code
   * @param contentType - the `Content-Type`
   * @param body - the body
   * @param headers - extra headers, overriding the defaults
   */
  send(status: number, contentType: string, body: string | Buffer, headers: Readonly<Record<string, string>> = {}): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length, ...headers });
    this.res.end(bytes);
  }

  /** Destroys the connection from the simulator's side (not counted as closed by the client). */
  destroy(): void {
    this.#destroyedByServer = true;
    this.#controller.abort();
    this.req.socket.destroy();
  }

  /** Marks the exchange as ended by the simulator closing, and stops its timers. */
  abortForShutdown(): void {
    this.#destroyedByServer = true;
    this.#controller.abort();
  }
}
