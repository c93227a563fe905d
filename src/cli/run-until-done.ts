import type { Observable } from 'rxjs';
import { ExitCodes, type ExitCode } from './exit-codes.js';

/** What a command does with its stream's events; `complete` and `error` choose the exit code. */
export interface CommandHandlers<T> {
  next(value: T): void;
  complete(): ExitCode;
  error(error: unknown): ExitCode;
  /** Called when `signal` aborted (Ctrl-C), after unsubscribing, before resolving 130. */
  interrupted(): void;
}

/**
 * Runs a command's stream to its end. When `signal` aborts, it unsubscribes first — which aborts
 * the request in flight and clears every timer — and then resolves with exit status 130; an
 * already-aborted signal subscribes to nothing.
 *
 * @param source - the command's stream
 * @param signal - aborted on SIGINT
 * @param handlers - what to do with its events
 * @returns the exit code
 */
export function runUntilDone<T>(source: Observable<T>, signal: AbortSignal, handlers: CommandHandlers<T>): Promise<ExitCode> {
  const interrupted = (): ExitCode => {
    handlers.interrupted();
    return ExitCodes.interrupted;
  };
  if (signal.aborted) return Promise.resolve(interrupted());
  return new Promise((resolve) => {
    let ended = false;
    const end = (code: () => ExitCode) => {
      if (ended) return;
      ended = true;
      signal.removeEventListener('abort', onAbort);
      resolve(code());
    };
    const onAbort = () => {
      subscription.unsubscribe();
      end(interrupted);
    };
    const subscription = source.subscribe({
      next: (value) => handlers.next(value),
      complete: () => end(() => handlers.complete()),
      error: (error: unknown) => end(() => handlers.error(error)),
    });
    if (!ended) signal.addEventListener('abort', onAbort, { once: true });
  });
}
